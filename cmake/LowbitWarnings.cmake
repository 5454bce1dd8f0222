# Compile flags shared by every Lowbit target: warnings and the instruction-set baseline.
add_library(lowbit_flags INTERFACE)
target_compile_options(lowbit_flags INTERFACE -Wall -Wextra -Wpedantic)
if(LOWBIT_WERROR)
  target_compile_options(lowbit_flags INTERFACE -Werror)
endif()
if(LOWBIT_ARCH)
  target_compile_options(lowbit_flags INTERFACE -march=${LOWBIT_ARCH} -mtune=generic)
endif()
if(LOWBIT_FUZZ)
  # coverage for libFuzzer plus the sanitizers, on every Lowbit target
  target_compile_options(lowbit_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(lowbit_flags INTERFACE -fsanitize=address,undefined)
endif()
