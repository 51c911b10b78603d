#pragma once

// Strict JSON codec of operations. Decoding checks required fields, types,
// lengths, UTF-8, coordinate bounds and known names, and rejects unknown
// fields; every refusal is a `rejection` with a stable code.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"

namespace ruche::protocol {

using json = nlohmann::json;

// Where an op comes from decides what it may and must contain.
enum class origin {
    client,  // no server-assigned ids, no server-only kinds
    log,     // as stamped by the server: ids present, every kind allowed
};

// Parses text without throwing; errc::not_json when it is not JSON.
result<json> parse_json(std::string_view text);

result<op> decode_op(const json& j, origin from);
json encode_op(const op& o);

// A place as the wire has it: {"lat": 48.85661, "lon": 2.35222, "accuracy": 12}
// (accuracy in metres, absent when not known).
json to_json(const geo_point& p);
result<geo_point> geo_from_json(const json& j);

// {"seq":N,"time":T,"by":"p1","op":{...}}
result<stamped_op> decode_stamped(const json& j);
json encode_stamped(const stamped_op& s);

// The op log's record format: the compact JSON of `encode_stamped`.
std::string serialize_stamped(const stamped_op& s);
result<stamped_op> parse_stamped(std::string_view bytes);

}  // namespace ruche::protocol
