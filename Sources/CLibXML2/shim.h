// libxml2's HTML and XML parsers, for the `parse` and `crawl` step kinds.
// Include path from pkg-config `libxml-2.0` (Debian: libxml2-dev).
#ifndef FLOW_CLIBXML2_SHIM_H
#define FLOW_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and encoding.h then includes the system's ICU
// headers, which clash with the ICU copy inside Swift's Foundation (`_FoundationICU`) in any
// file importing both. We never touch the ICU-only fields of xmlCharEncodingHandler (only
// pointers to it pass through us), so hiding them is safe.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#endif
