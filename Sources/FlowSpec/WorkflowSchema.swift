/// The JSON Schema (draft 2020-12) of workflow files, for editors (completion, hover text) and
/// for CI's independent check (`scripts/check-schema.sh`, which uses `check-jsonschema`).
///
/// Hand-written; `docs/flow.schema.json` holds the same text byte for byte (a test checks).
/// It describes the core language: unknown keys, types, enums, patterns (ids, environment
/// names, durations) and required keys. What needs the whole file — `needs` naming real
/// steps, cycles, `${{ }}` references, `with:` inputs per kind, time zones, cron syntax — is
/// checked by `WorkflowLoader` only.
public enum WorkflowSchema {
    /// The schema's text, ending with a line break.
    public static let json: String = ##"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "flow workflow",
          "description": "A flow workflow file (Workflows/*.yaml, Pipelines/*.yaml). Keys are snake_case, except the GitHub Actions keys 'continue-on-error' and 'working-directory', spelt as GitHub spells them. See docs/workflow-language.md.",
          "type": "object",
          "additionalProperties": false,
          "required": [
            "steps"
          ],
          "properties": {
            "name": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_.-]+$",
              "description": "The workflow's name; default: the file's base name.",
              "examples": [
                "nightly-report"
              ]
            },
            "description": {
              "type": "string",
              "description": "What the workflow is for, shown by 'flow list'."
            },
            "params": {
              "type": "object",
              "description": "Parameters given on the command line as '-p name=value', in file order.",
              "propertyNames": {
                "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
              },
              "additionalProperties": {
                "$ref": "#/$defs/param"
              }
            },
            "env": {
              "$ref": "#/$defs/env",
              "description": "Environment variables for every step; values may hold ${{ }} reading params, env, secrets and run."
            },
            "secrets": {
              "description": "Secrets: a list of names (each read from the environment variable of the same name) or a mapping from name to where its value comes from. Values are masked as *** everywhere.",
              "anyOf": [
                {
                  "type": "array",
                  "uniqueItems": true,
                  "items": {
                    "type": "string",
                    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
                  }
                },
                {
                  "type": "object",
                  "propertyNames": {
                    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
                  },
                  "additionalProperties": {
                    "$ref": "#/$defs/secret"
                  }
                }
              ]
            },
            "defaults": {
              "type": "object",
              "additionalProperties": false,
              "description": "Defaults for every step; a step's own keys win.",
              "properties": {
                "timeout": {
                  "$ref": "#/$defs/duration",
                  "description": "Default step timeout, such as \"10m\"."
                },
                "retry": {
                  "$ref": "#/$defs/retry"
                },
                "shell": {
                  "$ref": "#/$defs/shell"
                },
                "working-directory": {
                  "type": "string",
                  "description": "Default working directory of steps, relative to the workflow's project."
                }
              }
            },
            "concurrency": {
              "type": "integer",
              "minimum": 1,
              "description": "Most steps running at once in one run; default: the number of cores."
            },
            "schedule": {
              "description": "When the daemon starts the workflow: one schedule or a list of them.",
              "anyOf": [
                {
                  "$ref": "#/$defs/schedule"
                },
                {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/schedule"
                  }
                }
              ]
            },
            "steps": {
              "type": "object",
              "minProperties": 1,
              "description": "The steps of the DAG, keyed by step id, in file order.",
              "propertyNames": {
                "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
              },
              "additionalProperties": {
                "$ref": "#/$defs/step"
              }
            }
          },
          "$defs": {
            "duration": {
              "type": "string",
              "pattern": "^[ \\t]*(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h|d))+[ \\t]*$",
              "description": "A duration with units: ms, s, m, h, d (\"30s\", \"5m\", \"1h30m\", \"1.5s\")."
            },
            "shell": {
              "type": "string",
              "minLength": 1,
              "pattern": "\\S",
              "description": "The shell: 'sh' (default, run as 'sh -e'), 'bash', or a command with {0} for the script file, such as 'python3 {0}'."
            },
            "env": {
              "type": "object",
              "propertyNames": {
                "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
              },
              "additionalProperties": {
                "type": [
                  "string",
                  "number",
                  "boolean",
                  "null"
                ],
                "description": "Numbers and booleans become their text; null becomes the empty string."
              }
            },
            "param": {
              "description": "A parameter: its type, whether it is required, its default and allowed values.",
              "anyOf": [
                {
                  "type": "null"
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "type": {
                      "enum": [
                        "string",
                        "int",
                        "number",
                        "bool",
                        "list"
                      ],
                      "default": "string",
                      "description": "The value's type; default: string."
                    },
                    "required": {
                      "type": "boolean",
                      "default": false,
                      "description": "Whether a run must give it (no effect with a default)."
                    },
                    "default": {
                      "description": "The value when none is given; must match the type and the enum. Strings may hold ${{ }} reading env and run."
                    },
                    "enum": {
                      "type": "array",
                      "minItems": 1,
                      "description": "The allowed values."
                    },
                    "description": {
                      "type": "string",
                      "description": "What the parameter means, shown by 'flow show'."
                    }
                  },
                  "allOf": [
                    {
                      "if": {
                        "anyOf": [
                          {
                            "not": {
                              "required": [
                                "type"
                              ]
                            }
                          },
                          {
                            "properties": {
                              "type": {
                                "const": "string"
                              }
                            }
                          }
                        ]
                      },
                      "then": {
                        "properties": {
                          "default": {
                            "type": "string"
                          },
                          "enum": {
                            "items": {
                              "type": "string"
                            }
                          }
                        }
                      }
                    },
                    {
                      "if": {
                        "properties": {
                          "type": {
                            "const": "int"
                          }
                        },
                        "required": [
                          "type"
                        ]
                      },
                      "then": {
                        "properties": {
                          "default": {
                            "type": "integer"
                          },
                          "enum": {
                            "items": {
                              "type": "integer"
                            }
                          }
                        }
                      }
                    },
                    {
                      "if": {
                        "properties": {
                          "type": {
                            "const": "number"
                          }
                        },
                        "required": [
                          "type"
                        ]
                      },
                      "then": {
                        "properties": {
                          "default": {
                            "type": "number"
                          },
                          "enum": {
                            "items": {
                              "type": "number"
                            }
                          }
                        }
                      }
                    },
                    {
                      "if": {
                        "properties": {
                          "type": {
                            "const": "bool"
                          }
                        },
                        "required": [
                          "type"
                        ]
                      },
                      "then": {
                        "properties": {
                          "default": {
                            "type": "boolean"
                          },
                          "enum": {
                            "items": {
                              "type": "boolean"
                            }
                          }
                        }
                      }
                    },
                    {
                      "if": {
                        "properties": {
                          "type": {
                            "const": "list"
                          }
                        },
                        "required": [
                          "type"
                        ]
                      },
                      "then": {
                        "properties": {
                          "default": {
                            "type": "array",
                            "items": {
                              "type": [
                                "string",
                                "number",
                                "boolean"
                              ]
                            }
                          },
                          "enum": {
                            "items": {
                              "type": [
                                "string",
                                "number",
                                "boolean"
                              ]
                            }
                          }
                        }
                      }
                    }
                  ]
                }
              ]
            },
            "secret": {
              "description": "Where a secret's value comes from: null or {} for the environment variable of the same name.",
              "anyOf": [
                {
                  "type": "null"
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "not": {
                    "required": [
                      "env",
                      "file"
                    ]
                  },
                  "properties": {
                    "env": {
                      "type": "string",
                      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                      "description": "The environment variable holding the value."
                    },
                    "file": {
                      "type": "string",
                      "minLength": 1,
                      "description": "A file whose whole content (without one trailing newline) is the value."
                    },
                    "required": {
                      "type": "boolean",
                      "default": true,
                      "description": "Whether a run fails when the value is missing."
                    }
                  }
                }
              ]
            },
            "retry": {
              "description": "How often a failed step is tried again: a number of attempts, or a policy.",
              "anyOf": [
                {
                  "type": "integer",
                  "minimum": 1,
                  "description": "Total attempts, including the first."
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "attempts"
                  ],
                  "properties": {
                    "attempts": {
                      "type": "integer",
                      "minimum": 1,
                      "description": "Total attempts, including the first."
                    },
                    "backoff": {
                      "enum": [
                        "fixed",
                        "exponential"
                      ],
                      "default": "fixed",
                      "description": "fixed: every wait is 'delay'; exponential: the wait doubles after each attempt, up to 'max_delay'."
                    },
                    "delay": {
                      "$ref": "#/$defs/duration",
                      "description": "Wait before the second attempt; default 0s."
                    },
                    "max_delay": {
                      "$ref": "#/$defs/duration",
                      "description": "Longest wait with exponential backoff."
                    }
                  }
                }
              ]
            },
            "schedule": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "cron"
              ],
              "properties": {
                "cron": {
                  "type": "string",
                  "description": "Five fields 'minute hour day-of-month month day-of-week', six with leading seconds, or a macro such as '@daily'.",
                  "examples": [
                    "0 3 * * *"
                  ]
                },
                "timezone": {
                  "type": "string",
                  "default": "UTC",
                  "description": "An IANA time zone such as 'Europe/Paris'.",
                  "examples": [
                    "UTC",
                    "Europe/Paris"
                  ]
                },
                "paused": {
                  "type": "boolean",
                  "default": false,
                  "description": "When true the schedule does not fire."
                },
                "catchup": {
                  "enum": [
                    "none",
                    "latest",
                    "all"
                  ],
                  "default": "latest",
                  "description": "Fire times missed while the daemon was down: none, the latest one, or all (up to catchup_limit)."
                },
                "catchup_limit": {
                  "type": "integer",
                  "minimum": 1,
                  "default": 100,
                  "description": "Most missed runs started with catchup: all."
                },
                "overlap": {
                  "enum": [
                    "skip",
                    "queue",
                    "cancel-previous",
                    "allow"
                  ],
                  "default": "skip",
                  "description": "When a fire time comes while the previous run is still going."
                },
                "jitter": {
                  "$ref": "#/$defs/duration",
                  "description": "Largest random delay added to each fire time."
                }
              }
            },
            "step": {
              "type": "object",
              "additionalProperties": false,
              "description": "One step: a shell script ('run') or a built-in kind ('uses' with 'with').",
              "oneOf": [
                {
                  "required": [
                    "run"
                  ]
                },
                {
                  "required": [
                    "uses"
                  ]
                }
              ],
              "dependentRequired": {
                "with": [
                  "uses"
                ]
              },
              "properties": {
                "run": {
                  "type": "string",
                  "description": "A script for the step's shell; ${{ }} values are passed through environment variables, never pasted into the script."
                },
                "uses": {
                  "type": "string",
                  "description": "A built-in step kind, such as 'fetch'.",
                  "pattern": "^\\S+$"
                },
                "with": {
                  "type": "object",
                  "description": "Inputs of the 'uses' kind; strings may hold ${{ }}."
                },
                "needs": {
                  "description": "Steps that must finish first.",
                  "anyOf": [
                    {
                      "type": "string",
                      "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
                    },
                    {
                      "type": "array",
                      "items": {
                        "type": "string",
                        "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
                      }
                    }
                  ]
                },
                "if": {
                  "type": [
                    "string",
                    "boolean"
                  ],
                  "description": "Run only when this expression holds (with or without ${{ }}); default success().",
                  "examples": [
                    "always()",
                    "steps.test.result == 'failure'"
                  ]
                },
                "env": {
                  "$ref": "#/$defs/env",
                  "description": "Environment variables of this step; values may hold ${{ }}."
                },
                "working-directory": {
                  "type": "string",
                  "description": "Where the step runs, relative to the workflow's project."
                },
                "shell": {
                  "$ref": "#/$defs/shell"
                },
                "timeout": {
                  "$ref": "#/$defs/duration",
                  "description": "Stop the step (its whole process tree) after this long."
                },
                "retry": {
                  "$ref": "#/$defs/retry"
                },
                "continue-on-error": {
                  "type": "boolean",
                  "default": false,
                  "description": "When true, a failure of this step does not fail the run."
                },
                "outputs": {
                  "type": "object",
                  "description": "Outputs by name: templates evaluated after the step (a 'run' step also sets outputs by writing name=value lines to $FLOW_OUTPUT).",
                  "propertyNames": {
                    "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
                  },
                  "additionalProperties": {
                    "type": "string"
                  }
                },
                "matrix": {
                  "$ref": "#/$defs/matrix"
                }
              }
            },
            "matrix": {
              "type": "object",
              "minProperties": 1,
              "description": "Fan-out: one step run per combination of the dimensions' values, minus 'exclude', plus 'include'.",
              "propertyNames": {
                "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
              },
              "properties": {
                "include": {
                  "type": "array",
                  "items": {
                    "type": "object"
                  },
                  "description": "Extra combinations (may add keys)."
                },
                "exclude": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "propertyNames": {
                      "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
                    }
                  },
                  "description": "Combinations to leave out; keys must be dimensions."
                }
              },
              "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "description": "A dimension's values."
              }
            }
          }
        }

        """##
}
