// The invariant of Ruche: the live board equals the fold of its op log, byte
// for byte, after the database is closed and reopened, with or without
// checkpoints, and at every point in the past that was observed live.

#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "random_session.hpp"
#include "ruche/server/session_log.hpp"
#include "ruche/wire/board_json.hpp"
#include "temp_dir.hpp"

using namespace ruche;

namespace {

std::unique_ptr<storage::op_log> open_log(const testing::temp_dir& dir) {
    std::unique_ptr<storage::op_log> log;
    REQUIRE_FALSE(storage::open_rocksdb_op_log(dir.str(), {}, log));
    return log;
}

// One live session: candidates are applied as the server would, applied ops
// are appended in batches of random size, and some states are remembered.
struct live_session {
    std::string id;
    testing::random_session ops;
    protocol::board board;
    std::vector<server::logged_op> pending;
    std::map<std::uint64_t, std::string> seen;  // seq -> canonical state then
    std::size_t applied = 0;

    live_session(std::string session_id, std::uint32_t seed)
        : id(std::move(session_id)), ops(seed) {}

    void step(server::session_log& log, std::mt19937& rng) {
        auto candidate = ops.next(board);
        if (!protocol::apply(board, candidate)) return;
        ++applied;
        const std::string client_id = candidate.by == protocol::system_author
                                          ? std::string()
                                          : candidate.by + ":" + std::to_string(candidate.seq);
        pending.push_back({std::move(candidate), client_id});
        if (std::uniform_int_distribution<int>(0, 7)(rng) == 0) flush(log);
        if (std::uniform_int_distribution<int>(0, 50)(rng) == 0)
            seen[board.seq] = protocol::serialize(board);
    }

    void flush(server::session_log& log) {
        if (pending.empty()) return;
        REQUIRE_FALSE(log.append(id, pending, board));
        pending.clear();
    }
};

}  // namespace

TEST_CASE("live state equals the state folded again from RocksDB after reopening") {
    const std::uint64_t checkpoint_every = GENERATE(0u, 97u, 1000u);
    const std::uint32_t seed = GENERATE(1u, 2u, 3u);
    CAPTURE(checkpoint_every, seed);

    testing::temp_dir dir;
    live_session a("aaaaaaaaaaaaaaaa", seed);
    live_session b("bbbbbbbbbbbbbbbb", seed + 100);
    {
        auto log = open_log(dir);
        server::session_log sessions(*log, checkpoint_every);
        std::mt19937 rng(seed);
        // Two sessions interleaved in one database must not bleed into each other.
        for (int i = 0; i < 6000; ++i) {
            a.step(sessions, rng);
            if (i % 3 == 0) b.step(sessions, rng);
        }
        a.flush(sessions);
        b.flush(sessions);
    }
    REQUIRE(a.applied > 2000);
    REQUIRE(a.board.notes.size() > 10);

    auto log = open_log(dir);
    server::session_log sessions(*log, checkpoint_every);
    for (const live_session* s : {&a, &b}) {
        protocol::board folded;
        REQUIRE_FALSE(sessions.load(s->id, folded));
        CHECK(folded.seq == s->board.seq);
        CHECK(protocol::serialize(folded) == protocol::serialize(s->board));
        CHECK(folded == s->board);  // derived parts too (dots per voter)
        REQUIRE_FALSE(s->seen.empty());
        for (const auto& [seq, bytes] : s->seen) {
            protocol::board then;
            REQUIRE_FALSE(sessions.load(s->id, then, seq));
            CHECK(protocol::serialize(then) == bytes);
        }
    }
}

TEST_CASE("checkpoints are written when a batch crosses the interval") {
    testing::temp_dir dir;
    auto log = open_log(dir);
    server::session_log sessions(*log, 10);
    testing::random_session ops(7);
    protocol::board board;
    std::vector<server::logged_op> batch;
    while (board.seq < 25) {
        auto s = ops.next(board);
        if (!protocol::apply(board, s)) continue;
        batch.push_back({s, {}});
        if (batch.size() == 4) {
            REQUIRE_FALSE(sessions.append("cccccccccccccccc", batch, board));
            batch.clear();
        }
    }
    REQUIRE_FALSE(sessions.append("cccccccccccccccc", batch, board));
    std::optional<storage::checkpoint> cp;
    REQUIRE_FALSE(log->latest_checkpoint("cccccccccccccccc", 100, cp));
    REQUIRE(cp.has_value());
    // Batches are 1..4, 5..8, 9..12, ...: 9..12 crosses 10 and 17..20 reaches 20.
    CHECK(cp->seq == 20);
    REQUIRE_FALSE(log->latest_checkpoint("cccccccccccccccc", 19, cp));
    REQUIRE(cp.has_value());
    CHECK(cp->seq == 12);
}

TEST_CASE("a log that does not replay is reported, not folded silently") {
    testing::temp_dir dir;
    auto log = open_log(dir);
    const protocol::stamped_op vote_before_anyone_joined{
        1, 1, "p1", protocol::ops::vote_add{{protocol::vote_target::kind_t::note, "n1"}}};
    REQUIRE_FALSE(log->append("dddddddddddddddd",
                              {{1, "", protocol::serialize_stamped(vote_before_anyone_joined)}}));
    server::session_log sessions(*log);
    protocol::board b;
    CHECK(sessions.load("dddddddddddddddd", b) == storage::errc::corruption);
    REQUIRE_FALSE(log->append("eeeeeeeeeeeeeeee", {{1, "", "{not json"}}));
    CHECK(sessions.load("eeeeeeeeeeeeeeee", b) == storage::errc::corruption);
}
