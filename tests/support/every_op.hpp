#pragma once

// One example of every op kind (and of each optional shape), as the server
// logs it: for the tests that must cover every kind.

#include <vector>

#include "ruche/board/ops.hpp"

namespace ruche::testing {

std::vector<protocol::op> every_op();

}  // namespace ruche::testing
