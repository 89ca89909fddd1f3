# EVS_ENABLE_SANITIZERS: AddressSanitizer + UndefinedBehaviorSanitizer (the asan-ubsan preset);
# EVS_ENABLE_TSAN: ThreadSanitizer (the tsan preset). They cannot be combined.
if(EVS_ENABLE_SANITIZERS AND EVS_ENABLE_TSAN)
  message(FATAL_ERROR "EVS_ENABLE_SANITIZERS and EVS_ENABLE_TSAN exclude each other")
endif()
# The sanitizers bring their own allocator: tcmalloc is linked only without them.
if(EVS_ENABLE_SANITIZERS OR EVS_ENABLE_TSAN)
  set(EVS_SANITIZED ON)
else()
  set(EVS_SANITIZED OFF)
endif()

function(evs_enable_sanitizers target)
  if(EVS_ENABLE_SANITIZERS)
    # Without vptr: that check probes memory through a pipe(), so in a process out of file
    # descriptors (consumer_limits provokes it on purpose) it reports every object as invalid.
    target_compile_options(${target} INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr
      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr)
    # Clang's `function` check puts type data before each function, which clang 14 cannot
    # place for coroutines split across sections ("Cannot represent a difference across
    # sections"); GCC has no such check.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      target_compile_options(${target} INTERFACE -fno-sanitize=function)
    endif()
  elseif(EVS_ENABLE_TSAN)
    target_compile_options(${target} INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
    # Asio's fenced blocks use std::atomic_thread_fence, which GCC warns TSan does not model.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} INTERFACE -Wno-tsan)
    endif()
    target_link_options(${target} INTERFACE -fsanitize=thread)
  endif()
endfunction()
