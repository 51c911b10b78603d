#pragma once

// The op log's record format: a compact binary encoding of a stamped op,
// about ten times faster to read back than its JSON, which matters when a
// long session is folded from its log. The JSON of `encode_stamped` stays the
// format of the wire and of exports; records written as JSON by earlier
// versions are still read.

#include <string>
#include <string_view>

#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"

namespace ruche::protocol {

std::string encode_record(const stamped_op& s);

// Reads a record in either format (binary, or JSON starting with '{').
result<stamped_op> decode_record(std::string_view bytes);

}  // namespace ruche::protocol
