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

// What a welcome says: who the connection is, where the board stands, then
// the viewer's state, or only the events missed since `last_seq` when the
// connection comes back and they are all still at hand.
struct welcome {
    std::string session_id;
    std::string role;            // "viewer", "participant" or "facilitator"
    std::string participant_id;  // empty for a viewer (and not sent)
    std::uint64_t seq = 0;
    std::string participant_token;  // sent when not empty
    // Facilitators only: how people join.
    std::optional<std::string> join_code;
    std::optional<std::string> join_url;
    // One of the two: the state as this viewer sees it, or the missed events.
    std::optional<json> state;
    std::optional<json> events;
};

// Server → client. Each returns the serialised JSON text of one message.
std::string welcome_message(welcome w);
std::string ack_message(std::string_view op_id, std::uint64_t seq);
std::string error_message(const rejection& why, std::string_view op_id = {});
// `event` is what project_event returned: {"seq","time","by"?,"op","state"?}.
std::string event_message(json event);

}  // namespace ruche::protocol
