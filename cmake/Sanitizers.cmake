function(evs_enable_sanitizers target)
  if(EVS_ENABLE_SANITIZERS)
    target_compile_options(${target} INTERFACE -fsanitize=address,undefined
      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} INTERFACE -fsanitize=address,undefined)
  endif()
endfunction()
