#pragma once

// Shared by the fuzz targets: what a finding looks like. A broken property
// aborts with a message, so that libFuzzer saves the input that broke it,
// and the corpus replayer (a plain program in the regular suite) fails.

#include <cstdio>
#include <cstdlib>

namespace ruche::fuzz {

[[noreturn]] inline void broken(const char* property) {
    std::fprintf(stderr, "fuzz property broken: %s\n", property);
    std::abort();
}

inline void require(bool holds, const char* property) {
    if (!holds) broken(property);
}

}  // namespace ruche::fuzz
