#pragma once

// The messages of the WebSocket conversation, around the ops: a client says
// hello then sends ops; the server answers welcome, ack, event and error.
// Documented with examples in protocol/README.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"
#include "ruche/wire/codec.hpp"

namespace ruche::protocol {

// {"type":"hello","join_code":...,"name":...,"profile":...} for a participant,
// {"type":"hello","facilitator_token":...} for the facilitator; to come back
// after a drop, with "participant_token" and "last_seq".
struct hello {
    std::optional<std::string> join_code;
    std::optional<std::string> facilitator_token;
    std::optional<std::string> participant_token;
    std::string name;
    std::optional<protocol::profile> profile;
    std::optional<std::uint64_t> last_seq;
    // The client reads frames that hold several messages, one per line
    // (JSON never holds a raw newline): the server may then coalesce what is
    // waiting for this connection into one frame.
    bool lines = false;
    bool operator==(const hello&) const = default;
};

// {"type":"op","op_id":"<client id>","op":{"kind":...}}
struct op_message {
    std::string op_id;
    protocol::op op;
    bool operator==(const op_message&) const = default;
};

using client_message = std::variant<hello, op_message>;

// A rejected message keeps the op_id it carried, when it had a readable one,
// so the client can tell which of its ops was refused.
struct message_rejection {
    rejection why;
    std::string op_id;
};

std::variant<client_message, message_rejection> decode_client_message(std::string_view text);

// Server → client. Each returns the serialised JSON text of one message.
std::string ack_message(std::string_view op_id, std::uint64_t seq);
std::string error_message(const rejection& why, std::string_view op_id = {});
// `event` is what project_event returned: {"seq","time","by"?,"op","state"?}.
std::string event_message(json event);

}  // namespace ruche::protocol
