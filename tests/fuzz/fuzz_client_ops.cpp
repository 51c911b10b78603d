// Client messages, then apply: each line of the input is a message as a
// client sends it, from the facilitator or one of two participants, stamped
// and applied as the server does. Properties:
// - a refused op changes nothing on the board;
// - an applied op survives its record and its JSON unchanged;
// - folding the records from the start gives the live board exactly, and so
//   does reading back its checkpoint;
// - every viewer's projection and event can be built.
//
// A line may start with "f ", "1 " or "2 " to choose its sender (the
// facilitator f1, participants p1 or p2); otherwise senders take turns.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_target.hpp"
#include "ruche/board/board.hpp"
#include "ruche/wire/board_json.hpp"
#include "ruche/wire/codec.hpp"
#include "ruche/wire/messages.hpp"
#include "ruche/wire/record.hpp"
#include "ruche/wire/visibility.hpp"

using namespace ruche::protocol;
using ruche::fuzz::require;

namespace {

constexpr std::int64_t start_time = 1'764'000'000'000;
const std::string people[] = {"f1", "p1", "p2"};

struct session {
    board b;
    std::vector<std::string> records;

    bool submit(const std::string& by, op o) {
        const stamped_op s = stamp(b, std::move(o), start_time + static_cast<std::int64_t>(b.seq) * 1000, by);
        const board before = b;
        auto outcome = apply(b, s);
        if (!outcome) {
            require(b == before, "a refused op changes nothing");
            return false;
        }
        require(b.seq == s.seq, "an applied op advances the board to its seq");
        records.push_back(encode_record(s));
        auto from_record = decode_record(records.back());
        require(from_record.ok() && *from_record == s, "an op reads back from its record unchanged");
        auto from_json = decode_stamped(encode_stamped(s));
        require(from_json.ok() && *from_json == s, "an op reads back from its JSON unchanged");
        for (const auto& viewer : people) (void)project_event(b, s, *outcome, viewer);
        (void)facilitator_event(b, s, *outcome);
        return true;
    }
};

// The session every input starts from: its settings and three people.
const session& opening() {
    static const session s = [] {
        session made;
        const std::string server(system_author);
        made.submit(server, ops::settings_set{"Atelier", "Comment lutter contre l'isolement ?", 3u,
                                              std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                              std::nullopt,
                                              std::vector<std::string>{"Atout", "Difficulté", "Proposition"}});
        made.submit(server, ops::participant_join{"f1", role::facilitator, "Animatrice", std::nullopt});
        made.submit(server, ops::participant_join{"p1", role::participant, "Josiane", profile::habitant});
        made.submit(server, ops::participant_join{"p2", role::participant, "", profile::agent});
        return made;
    }();
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    session s = opening();

    std::size_t turn = 0;
    for (std::size_t start = 0; start <= input.size();) {
        auto end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        std::string_view line = input.substr(start, end - start);
        start = end + 1;
        std::string by = people[turn++ % 3];
        if (line.size() >= 2 && line[1] == ' ' && (line[0] == 'f' || line[0] == '1' || line[0] == '2')) {
            by = line[0] == 'f' ? "f1" : line[0] == '1' ? "p1" : "p2";
            line.remove_prefix(2);
        }
        auto decoded = decode_client_message(line);
        if (auto* message = std::get_if<client_message>(&decoded)) {
            if (auto* o = std::get_if<op_message>(message)) s.submit(by, std::move(o->op));
        }
    }

    board replayed;
    for (const auto& r : s.records) {
        auto op = decode_record(r);
        require(op.ok() && apply(replayed, *op).ok(), "every record applies again");
    }
    require(replayed == s.b, "the records fold into the live board");
    auto checkpoint = board_from_json(to_json(s.b));
    require(checkpoint.ok() && *checkpoint == s.b, "the board reads back from its checkpoint");
    for (const auto& viewer : people) (void)project(s.b, viewer);
    return 0;
}
