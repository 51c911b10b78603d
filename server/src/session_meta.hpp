#pragma once

// What the server keeps about a session besides its op log: its secrets.
// Stored as the session's metadata in the op log's database, never in the
// log itself, so exports of the log carry no secret. Tokens are kept only as
// their digests (token_digest): the database holds nothing that opens a
// session. The join code stays as it is: it is shown on the projector to
// everyone in the room, and the board shows it again after a restart.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ruche::server {

struct session_meta {
    std::string join_code;                                   // canonical form, e.g. "K7M-PQ3-XRT"
    std::string facilitator_token_digest;                    // of a 192-bit token
    std::map<std::string, std::string> participant_tokens;   // token digest -> participant id
    std::uint64_t next_participant = 1;
    // Each facilitator connection is a seat of its own ("f1", "f2"...): a
    // co-host is not the same person. The seat token, given in the welcome,
    // takes a reconnecting facilitator back to their seat; it is worth
    // nothing without the facilitator token.
    std::map<std::string, std::string> facilitator_seats;    // seat token digest -> facilitator id
    std::uint64_t next_facilitator = 1;
    // Read from metadata written before tokens were digested: the tokens were
    // digested while parsing, and the metadata should be written again.
    bool had_plain_tokens = false;

    std::string serialize() const;
    static std::optional<session_meta> parse(std::string_view bytes);
};

}  // namespace ruche::server
