# PyGuard's flat-tree addon: native/flat-tree.c compiled together with the C sources of the
# installed tree-sitter runtime and tree-sitter-python grammar (N-API, C only). Built by
# native/build.cjs at install, which passes the packages' directories as resolved by Node.
{
  "variables": {
    "tree_sitter%": "node_modules/tree-sitter",
    "tree_sitter_python%": "node_modules/tree-sitter-python",
    "sanitize%": ""
  },
  "targets": [
    {
      "target_name": "pyguard_flat_tree",
      "sources": [
        "native/flat-tree.c",
        "<(tree_sitter)/vendor/tree-sitter/lib/src/lib.c",
        "<(tree_sitter_python)/src/parser.c",
        "<(tree_sitter_python)/src/scanner.c"
      ],
      "include_dirs": [
        "<(tree_sitter)/vendor/tree-sitter/lib/include",
        "<(tree_sitter)/vendor/tree-sitter/lib/src",
        "<(tree_sitter_python)/src"
      ],
      "defines": ["NAPI_VERSION=8", "_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE"],
      "conditions": [
        ["OS!='win'", {
          "cflags_c": ["-std=c11", "-fvisibility=hidden", "<@(sanitize)"],
          "ldflags": ["<@(sanitize)"],
          "xcode_settings": {
            "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
            "OTHER_CFLAGS": ["-std=c11"]
          }
        }, {
          "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/std:c11"] } }
        }]
      ]
    }
  ]
}
