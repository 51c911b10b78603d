#pragma once

// The board's canonical state in JSON: what checkpoints, exports and every
// viewer's projection start from. The same state gives the same bytes.

#include <string>

#include "ruche/board/board.hpp"
#include "ruche/board/result.hpp"
#include "ruche/wire/codec.hpp"

namespace ruche::protocol {

json to_json(const board& b);
// Reads a canonical state back (a checkpoint, an export's "state").
result<board> board_from_json(const json& j);
std::string serialize(const board& b);

}  // namespace ruche::protocol
