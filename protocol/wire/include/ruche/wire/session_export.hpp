#pragma once

// The session export, which is also what an import reads: the log and the
// state it folds into.

#include <cstddef>
#include <string_view>
#include <vector>

#include "ruche/board/board.hpp"
#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"
#include "ruche/wire/codec.hpp"

namespace ruche::protocol {

// The export file, also the import format:
// {"format":"ruche-session","version":1,"log":[stamped ops],"state":{...}}.
inline constexpr std::string_view session_export_format = "ruche-session";
inline constexpr int session_export_version = 1;
json session_export(const board& final_state, const std::vector<stamped_op>& log);
// Reads an export back: checks format and version, decodes every op, folds the
// log and checks that the fold serialises exactly as "state". Any problem is
// a rejection whose detail says where.
result<std::vector<stamped_op>> read_session_export(const json& j);

// What an import may hold. A workshop's export is well inside these (300
// notes and a few thousand ops); they bound the memory and time one file can
// take from a server.
struct export_limits {
    std::size_t max_depth = 32;        // nesting of arrays and objects
    std::size_t max_ops = 200'000;     // entries of "log"
    std::size_t max_notes = 20'000;    // notes on the board and in the bin, at any point
};
// The same from the file's text, the log decoded and folded op by op as it is
// parsed (never held as JSON), refusing past `limits` (errc::too_long).
result<std::vector<stamped_op>> parse_session_export(std::string_view text,
                                                     const export_limits& limits = {});

}  // namespace ruche::protocol
