{
  "targets": [
    {
      "target_name": "hotline",
      "sources": [
        "<!@(find native/src -name '*.c' | sort)",
        "<!@(find native/addon -name '*.cc' | sort)"
      ],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include\")",
        "native/include",
        "<!@(ls -d /usr/src/dahdi-*/include | head -n 1)"
      ],
      "libraries": ["-lspandsp", "-ltonezone", "-lss7", "-lm", "-lpthread"],
      "cflags": ["-O2", "-g", "-Wall", "-Wno-unused-parameter", "-Wno-format-truncation"],
      "cflags_c": ["-std=gnu11"],
      "cflags_cc": ["-O2", "-g", "-std=c++17", "-Wall", "-Wno-unused-parameter"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"]
    }
  ]
}
