// Tests of the RocksDB op log: ordering, atomic batches, idempotent client op
// ids, checkpoints, metadata, deletion that leaves no bytes behind, and
// recovery after the writing process is killed.

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "file_scan.hpp"
#include "ruche/storage/op_log.hpp"

namespace Catch {
template <>
struct StringMaker<std::error_code> {
    static std::string convert(const std::error_code& ec) {
        if (!ec) return "success";
        return std::string(ec.category().name()) + ':' + std::to_string(ec.value()) + " (" +
               ec.message() + ')';
    }
};
}  // namespace Catch

namespace {

namespace fs = std::filesystem;
namespace st = ruche::storage;
using st::errc;
using ruche::testing::found_in_files;

const std::error_code success{};
std::error_code code(errc e) {
    return make_error_code(e);
}

// A fresh directory under the system temp dir, removed with its content.
class temp_dir {
  public:
    temp_dir() {
        std::random_device device;
        std::mt19937_64 random((static_cast<std::uint64_t>(device()) << 32) ^ device() ^
                               static_cast<std::uint64_t>(
                                   std::chrono::steady_clock::now().time_since_epoch().count()));
        path_ = fs::temp_directory_path() / ("ruche-test-op-log-" + std::to_string(random()));
        fs::create_directories(path_);
    }
    ~temp_dir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::string db() const { return (path_ / "db").string(); }

  private:
    fs::path path_;
};

std::unique_ptr<st::op_log> open_log(const temp_dir& dir,
                                     st::durability mode = st::durability::wal) {
    std::unique_ptr<st::op_log> log;
    st::options opts;
    opts.mode = mode;
    const auto ec = st::open_rocksdb_op_log(dir.db(), opts, log);
    REQUIRE(ec == success);
    REQUIRE(log != nullptr);
    return log;
}

st::record rec(std::uint64_t seq, std::string client_op_id = {}, std::string payload = {}) {
    if (payload.empty()) payload = "payload-" + std::to_string(seq);
    return st::record{seq, std::move(client_op_id), std::move(payload)};
}

std::uint64_t head_of(const st::op_log& log, std::string_view session) {
    std::uint64_t head = 99999;
    REQUIRE(log.head(session, head) == success);
    return head;
}

std::vector<st::record> read_all(const st::op_log& log, std::string_view session,
                                 std::uint64_t from = 1) {
    std::vector<st::record> out;
    REQUIRE(log.read(session, from, 1'000'000, out) == success);
    return out;
}

std::optional<std::uint64_t> find_op(const st::op_log& log, std::string_view session,
                                     std::string_view id) {
    std::optional<std::uint64_t> out;
    REQUIRE(log.find_client_op(session, id, out) == success);
    return out;
}

std::vector<std::uint64_t> seqs(const std::vector<st::record>& records) {
    std::vector<std::uint64_t> out;
    for (const auto& r : records) out.push_back(r.seq);
    return out;
}

constexpr std::string_view session_a = "aaaaaaaaaaaaaaaa";
constexpr std::string_view session_b = "aaaaaaaaaaaaaaab";  // right after a, same prefix
constexpr std::string_view session_0 = "aaaaaaaaaaaaaaa0";  // right before a

}  // namespace

TEST_CASE("session ids are 16 characters from [a-z0-9]", "[op_log]") {
    CHECK(st::is_valid_session_id("0123456789abcdef"));
    CHECK(st::is_valid_session_id("zzzzzzzzzzzzzzzz"));
    CHECK_FALSE(st::is_valid_session_id(""));
    CHECK_FALSE(st::is_valid_session_id("abc"));
    CHECK_FALSE(st::is_valid_session_id("0123456789abcde"));    // 15
    CHECK_FALSE(st::is_valid_session_id("0123456789abcdef0"));  // 17
    CHECK_FALSE(st::is_valid_session_id("0123456789ABCDEF"));
    CHECK_FALSE(st::is_valid_session_id("0123456789abcde-"));
    CHECK_FALSE(st::is_valid_session_id("0123456789abcde/"));
    CHECK_FALSE(st::is_valid_session_id("0123456789abcd\xc3\xa9"));  // "é", 16 bytes
    CHECK_FALSE(st::is_valid_session_id(std::string_view("0123456789abcde\0", 16)));
}

TEST_CASE("append, head and read round trip", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);

    CHECK(head_of(*log, session_a) == 0);
    CHECK(read_all(*log, session_a).empty());

    const std::vector<st::record> batch{rec(1, "c-1", R"({"text":"première idée"})"), rec(2),
                                        rec(3, "c-3"), rec(4, "c-4"), rec(5)};
    REQUIRE(log->append(session_a, batch) == success);
    REQUIRE(log->append(session_b, {rec(1, "c-1", "other session")}) == success);
    REQUIRE(log->append(session_0, {rec(1), rec(2)}) == success);

    CHECK(head_of(*log, session_a) == 5);
    CHECK(head_of(*log, session_b) == 1);
    CHECK(head_of(*log, session_0) == 2);

    const auto all = read_all(*log, session_a);
    REQUIRE(all.size() == batch.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].seq == batch[i].seq);
        CHECK(all[i].client_op_id == batch[i].client_op_id);
        CHECK(all[i].payload == batch[i].payload);
    }

    std::vector<st::record> out;
    SECTION("from a middle seq, bounded by max_count") {
        REQUIRE(log->read(session_a, 3, 2, out) == success);
        CHECK(seqs(out) == std::vector<std::uint64_t>{3, 4});
        CHECK(out[0].client_op_id == "c-3");
        CHECK(out[1].payload == "payload-4");
    }
    SECTION("max_count larger than what is left") {
        REQUIRE(log->read(session_a, 4, 100, out) == success);
        CHECK(seqs(out) == std::vector<std::uint64_t>{4, 5});
    }
    SECTION("from seq 0 reads from the start") {
        REQUIRE(log->read(session_a, 0, 2, out) == success);
        CHECK(seqs(out) == std::vector<std::uint64_t>{1, 2});
    }
    SECTION("past the head, or max_count 0, reads nothing and replaces the output") {
        out.push_back(rec(42));
        REQUIRE(log->read(session_a, 6, 10, out) == success);
        CHECK(out.empty());
        out.push_back(rec(42));
        REQUIRE(log->read(session_a, 1, 0, out) == success);
        CHECK(out.empty());
    }
    SECTION("an unknown session reads empty, with head 0") {
        REQUIRE(log->read("zzzzzzzzzzzzzzzz", 1, 10, out) == success);
        CHECK(out.empty());
        CHECK(head_of(*log, "zzzzzzzzzzzzzzzz") == 0);
    }
    SECTION("neighbouring sessions do not leak into each other") {
        CHECK(seqs(read_all(*log, session_b)) == std::vector<std::uint64_t>{1});
        CHECK(read_all(*log, session_b)[0].payload == "other session");
        CHECK(seqs(read_all(*log, session_0)) == std::vector<std::uint64_t>{1, 2});
    }
    SECTION("a later batch continues the sequence") {
        REQUIRE(log->append(session_a, {rec(6), rec(7, "c-7")}) == success);
        CHECK(head_of(*log, session_a) == 7);
        CHECK(seqs(read_all(*log, session_a, 5)) == std::vector<std::uint64_t>{5, 6, 7});
    }
    SECTION("long client op ids, binary and empty payloads come back intact") {
        const std::string long_id(300, 'i');  // needs a two-byte length prefix
        const std::string binary("\0\x01\xff{\"a\":1}\0", 10);
        REQUIRE(log->append(session_a,
                            {{6, long_id, binary}, {7, "", ""}, {8, "x", std::string(1, '\0')}}) ==
                success);
        REQUIRE(log->read(session_a, 6, 10, out) == success);
        REQUIRE(out.size() == 3);
        CHECK(out[0].client_op_id == long_id);
        CHECK(out[0].payload == binary);
        CHECK(out[1].client_op_id.empty());
        CHECK(out[1].payload.empty());
        CHECK(out[2].payload == std::string(1, '\0'));
        CHECK(find_op(*log, session_a, long_id) == std::optional<std::uint64_t>{6});
    }
    SECTION("an empty batch is a no-op") {
        REQUIRE(log->append(session_a, {}) == success);
        CHECK(head_of(*log, session_a) == 5);
    }
}

TEST_CASE("a batch that does not follow the head writes nothing", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);

    SECTION("a new session starts at seq 1") {
        CHECK(log->append(session_a, {rec(0, "x")}) == code(errc::sequence_gap));
        CHECK(log->append(session_a, {rec(2, "x")}) == code(errc::sequence_gap));
        CHECK(head_of(*log, session_a) == 0);
        CHECK(read_all(*log, session_a, 0).empty());
        CHECK_FALSE(find_op(*log, session_a, "x"));
        std::vector<std::string> sessions;
        REQUIRE(log->list_sessions(sessions) == success);
        CHECK(sessions.empty());
    }

    REQUIRE(log->append(session_a, {rec(1, "c-1"), rec(2, "c-2"), rec(3, "c-3")}) == success);

    SECTION("wrong first seq") {
        CHECK(log->append(session_a, {rec(5, "c-5"), rec(6, "c-6")}) == code(errc::sequence_gap));
        CHECK(log->append(session_a, {rec(3, "c-3b"), rec(4, "c-4")}) == code(errc::sequence_gap));
    }
    SECTION("a gap inside the batch") {
        CHECK(log->append(session_a, {rec(4, "c-4"), rec(6, "c-6")}) == code(errc::sequence_gap));
    }
    SECTION("a repeated seq inside the batch") {
        CHECK(log->append(session_a, {rec(4, "c-4"), rec(4, "c-6")}) == code(errc::sequence_gap));
    }
    SECTION("a checkpoint beyond the batch") {
        const st::checkpoint cp{6, "state"};
        CHECK(log->append(session_a, {rec(4, "c-4"), rec(5, "c-5")}, &cp) ==
              code(errc::sequence_gap));
        std::optional<st::checkpoint> found;
        REQUIRE(log->latest_checkpoint(session_a, 100, found) == success);
        CHECK_FALSE(found);
    }

    CHECK(head_of(*log, session_a) == 3);
    CHECK(seqs(read_all(*log, session_a)) == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(read_all(*log, session_a)[2].client_op_id == "c-3");
    for (const auto* id : {"c-3b", "c-4", "c-5", "c-6"}) {
        INFO(id);
        CHECK_FALSE(find_op(*log, session_a, id));
    }
    // The log is still usable where it should be.
    REQUIRE(log->append(session_a, {rec(4, "c-4")}) == success);
    CHECK(find_op(*log, session_a, "c-4") == std::optional<std::uint64_t>{4});
}

TEST_CASE("a batch that reuses a client op id writes nothing", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);
    REQUIRE(log->append(session_a, {rec(1, "op-1")}) == success);

    SECTION("already indexed") {
        CHECK(log->append(session_a, {rec(2, "op-2"), rec(3, "op-1")}) ==
              code(errc::duplicate_client_op_id));
    }
    SECTION("twice in the same batch") {
        CHECK(log->append(session_a, {rec(2, "op-2"), rec(3, "op-x"), rec(4, "op-x")}) ==
              code(errc::duplicate_client_op_id));
        CHECK_FALSE(find_op(*log, session_a, "op-x"));
    }

    CHECK(head_of(*log, session_a) == 1);
    CHECK(seqs(read_all(*log, session_a)) == std::vector<std::uint64_t>{1});
    CHECK_FALSE(find_op(*log, session_a, "op-2"));
    CHECK(find_op(*log, session_a, "op-1") == std::optional<std::uint64_t>{1});

    // Records without an id never collide; the same id in another session is fine.
    REQUIRE(log->append(session_a, {rec(2), rec(3), rec(4, "op-2")}) == success);
    REQUIRE(log->append(session_b, {rec(1, "op-1")}) == success);
    CHECK(find_op(*log, session_a, "op-2") == std::optional<std::uint64_t>{4});
    CHECK(find_op(*log, session_b, "op-1") == std::optional<std::uint64_t>{1});
    CHECK_FALSE(find_op(*log, session_a, ""));
}

TEST_CASE("client op ids and the head survive close and reopen", "[op_log]") {
    temp_dir dir;
    {
        auto log = open_log(dir);
        REQUIRE(log->append(session_a, {rec(1, "op-1"), rec(2), rec(3, "op-3")}) == success);
        REQUIRE(log->append(session_b, {rec(1, "op-1")}) == success);
        CHECK(find_op(*log, session_a, "op-3") == std::optional<std::uint64_t>{3});
    }
    auto log = open_log(dir);
    CHECK(find_op(*log, session_a, "op-1") == std::optional<std::uint64_t>{1});
    CHECK(find_op(*log, session_a, "op-3") == std::optional<std::uint64_t>{3});
    CHECK(find_op(*log, session_b, "op-1") == std::optional<std::uint64_t>{1});
    CHECK_FALSE(find_op(*log, session_a, "op-2"));
    CHECK(head_of(*log, session_a) == 3);

    // The head is known again before the first read of it: the cache is
    // loaded from the database, not assumed to start at 0.
    CHECK(log->append(session_a, {rec(1, "op-new")}) == code(errc::sequence_gap));
    CHECK(log->append(session_a, {rec(4, "op-3")}) == code(errc::duplicate_client_op_id));
    REQUIRE(log->append(session_a, {rec(4, "op-4")}) == success);
    CHECK(head_of(*log, session_a) == 4);
}

TEST_CASE("invalid session ids are rejected by every call", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);
    const auto invalid = code(errc::invalid_session_id);

    const std::vector<std::string> bad_ids{"",
                                           "abc",
                                           "aaaaaaaaaaaaaaaaa",
                                           "AAAAAAAAAAAAAAAA",
                                           "aaaaaaaaaaaaaaaA",
                                           "aaaaaaa-aaaaaaaa",
                                           "aaaaaaaaaaaaaaa.",
                                           "../../aaaaaaaaaa",
                                           std::string("aaaaaaaaaaaaaaa\0", 16)};
    for (const auto& id : bad_ids) {
        INFO("session id: " << id);
        const st::checkpoint cp{1, "state"};
        CHECK(log->append(id, {rec(1, "op-1")}, &cp) == invalid);
        std::uint64_t head = 7;
        CHECK(log->head(id, head) == invalid);
        std::vector<st::record> records;
        CHECK(log->read(id, 1, 10, records) == invalid);
        std::optional<std::uint64_t> seq;
        CHECK(log->find_client_op(id, "op-1", seq) == invalid);
        std::optional<st::checkpoint> found;
        CHECK(log->latest_checkpoint(id, 10, found) == invalid);
        CHECK(log->put_metadata(id, "meta") == invalid);
        std::optional<std::string> meta;
        CHECK(log->get_metadata(id, meta) == invalid);
        CHECK(log->delete_session(id) == invalid);
    }
    std::vector<std::string> sessions;
    REQUIRE(log->list_sessions(sessions) == success);
    CHECK(sessions.empty());
}

TEST_CASE("latest_checkpoint picks the newest at or below a seq", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);

    // A checkpoint in the session just before, that a careless backwards
    // seek would return.
    const st::checkpoint before{1, "state of session 0"};
    REQUIRE(log->append(session_0, {rec(1)}, &before) == success);

    const st::checkpoint cp3{3, "state@3"};
    const st::checkpoint cp7{7, "state@7"};
    REQUIRE(log->append(session_a, {rec(1), rec(2), rec(3)}, &cp3) == success);
    REQUIRE(log->append(session_a, {rec(4), rec(5), rec(6), rec(7), rec(8)}, &cp7) == success);
    // A checkpoint on its own, for a seq already in the log.
    const st::checkpoint cp8{8, "state@8"};
    REQUIRE(log->append(session_a, {}, &cp8) == success);
    CHECK(head_of(*log, session_a) == 8);

    const st::checkpoint after{1, "state of session b"};
    REQUIRE(log->append(session_b, {rec(1)}, &after) == success);

    auto latest = [&](std::uint64_t at_most) {
        std::optional<st::checkpoint> out{st::checkpoint{999, "stale"}};
        REQUIRE(log->latest_checkpoint(session_a, at_most, out) == success);
        return out;
    };
    CHECK_FALSE(latest(0));
    CHECK_FALSE(latest(2));
    REQUIRE(latest(3));
    CHECK(latest(3)->seq == 3);
    CHECK(latest(3)->payload == "state@3");
    CHECK(latest(6)->seq == 3);
    CHECK(latest(7)->seq == 7);
    CHECK(latest(7)->payload == "state@7");
    CHECK(latest(8)->payload == "state@8");
    CHECK(latest(1'000'000)->seq == 8);

    std::optional<st::checkpoint> other;
    REQUIRE(log->latest_checkpoint(session_b, 100, other) == success);
    REQUIRE(other);
    CHECK(other->payload == "state of session b");
    REQUIRE(log->latest_checkpoint("zzzzzzzzzzzzzzzz", 100, other) == success);
    CHECK_FALSE(other);

    SECTION("a checkpoint needs a seq in the log") {
        const st::checkpoint cp0{0, "nothing"};
        CHECK(log->append(session_a, {}, &cp0) == code(errc::sequence_gap));
        const st::checkpoint cp9{9, "future"};
        CHECK(log->append(session_a, {}, &cp9) == code(errc::sequence_gap));
        CHECK(latest(100)->seq == 8);
    }
}

TEST_CASE("metadata and the list of sessions", "[op_log]") {
    temp_dir dir;
    {
        auto log = open_log(dir);
        std::vector<std::string> sessions{"stale"};
        REQUIRE(log->list_sessions(sessions) == success);
        CHECK(sessions.empty());

        std::optional<std::string> meta{"stale"};
        REQUIRE(log->get_metadata("zzzzzzzzzzzzzzzz", meta) == success);
        CHECK_FALSE(meta);

        const std::string binary("hash\0\xff\x01", 7);
        REQUIRE(log->put_metadata("zzzzzzzzzzzzzzzz", "first") == success);
        REQUIRE(log->put_metadata("zzzzzzzzzzzzzzzz", binary) == success);
        REQUIRE(log->get_metadata("zzzzzzzzzzzzzzzz", meta) == success);
        CHECK(meta == binary);

        // Records only, no metadata: still listed.
        REQUIRE(log->append("0000000000000000", {rec(1)}) == success);
        REQUIRE(log->append("mmmmmmmmmmmmmmmm", {rec(1), rec(2)}) == success);
        REQUIRE(log->put_metadata("mmmmmmmmmmmmmmmm", "{}") == success);
        REQUIRE(log->get_metadata("0000000000000000", meta) == success);
        CHECK_FALSE(meta);
    }
    auto log = open_log(dir);
    std::vector<std::string> sessions;
    REQUIRE(log->list_sessions(sessions) == success);
    CHECK(sessions ==
          std::vector<std::string>{"0000000000000000", "mmmmmmmmmmmmmmmm", "zzzzzzzzzzzzzzzz"});
    std::optional<std::string> meta;
    REQUIRE(log->get_metadata("mmmmmmmmmmmmmmmm", meta) == success);
    CHECK(meta == "{}");
}

TEST_CASE("delete_session leaves no byte of the session in the database files", "[op_log]") {
    temp_dir dir;
    const fs::path db_dir = dir.db();
    constexpr std::string_view secret = "MARQUEUR-SECRET-42";
    constexpr std::string_view kept = "MARQUEUR-GARDE-17";
    const std::string doomed_id = "d000000000000000";
    const std::string keeper = "k000000000000000";

    auto note = [](std::string_view marker, std::uint64_t seq) {
        std::string payload = R"({"type":"add_note","text":")";
        payload += marker;
        payload += " note " + std::to_string(seq) + R"( : il faudrait plus de bancs")";
        payload += R"(,"color":"yellow","padding":")" + std::string(120, 'x') + "\"}";
        return payload;
    };
    auto write_round = [&](st::op_log& log, std::uint64_t first, std::uint64_t count) {
        for (std::uint64_t seq = first; seq < first + count; seq += 100) {
            std::vector<st::record> doomed_batch;
            std::vector<st::record> keeper_batch;
            for (std::uint64_t s = seq; s < seq + 100; ++s) {
                doomed_batch.push_back(rec(s, "op-" + std::to_string(s), note(secret, s)));
                keeper_batch.push_back(rec(s, "op-" + std::to_string(s), note(kept, s)));
            }
            const st::checkpoint cp{seq + 99, "checkpoint " + std::string(secret)};
            REQUIRE(log.append(doomed_id, doomed_batch, &cp) == success);
            REQUIRE(log.append(keeper, keeper_batch) == success);
        }
    };

    auto log = open_log(dir);
    REQUIRE(log->put_metadata(doomed_id, "metadata " + std::string(secret)) == success);
    REQUIRE(log->put_metadata(keeper, "metadata " + std::string(kept)) == success);
    // Photos of both sessions, in the same blob files.
    auto image = [](std::string_view marker, int i) {
        return std::string(marker) + " image " + std::to_string(i) + std::string(200'000, 'p');
    };
    auto put_photos = [&](int first) {
        for (int i = first; i < first + 2; ++i) {
            const auto id = "p" + std::to_string(i);
            REQUIRE(log->put_photo(doomed_id, id, {"by p1", image(secret, i), image(secret, -i)}) == success);
            REQUIRE(log->put_photo(keeper, id, {"by p2", image(kept, i), image(kept, -i)}) == success);
        }
    };
    put_photos(1);
    // Several flushed rounds give several SST files, the last round stays in
    // the memtable and the WAL only.
    write_round(*log, 1, 1000);
    REQUIRE(log->flush() == success);
    write_round(*log, 1001, 1000);
    REQUIRE(log->flush() == success);
    put_photos(3);  // these stay in the memtable and the WAL
    write_round(*log, 2001, 500);

    // The scan works: before deletion, the marker is in SST files and in the WAL.
    std::vector<std::string> files_with_secret;
    REQUIRE(found_in_files(db_dir, secret, &files_with_secret));
    CHECK(std::any_of(files_with_secret.begin(), files_with_secret.end(),
                      [](const std::string& f) { return f.ends_with(".sst"); }));
    CHECK(std::any_of(files_with_secret.begin(), files_with_secret.end(),
                      [](const std::string& f) { return f.ends_with(".log"); }));
    CHECK(std::any_of(files_with_secret.begin(), files_with_secret.end(),
                      [](const std::string& f) { return f.ends_with(".blob"); }));
    REQUIRE(found_in_files(db_dir, kept));

    REQUIRE(log->delete_session(doomed_id) == success);

    std::vector<std::string> leftovers;
    const bool leaked = found_in_files(db_dir, secret, &leftovers);
    for (const auto& f : leftovers) UNSCOPED_INFO("still in " << f);
    CHECK_FALSE(leaked);
    // The other session is untouched, in the files and through the API.
    CHECK(found_in_files(db_dir, kept));
    const auto records = read_all(*log, keeper);
    REQUIRE(records.size() == 2500);
    CHECK(records.front().payload == note(kept, 1));
    CHECK(records.back().payload == note(kept, 2500));
    CHECK(head_of(*log, keeper) == 2500);
    for (int i = 1; i <= 4; ++i) {
        std::optional<std::string> bytes;
        REQUIRE(log->get_photo(keeper, "p" + std::to_string(i), st::photo_part::full, bytes) == success);
        CHECK(bytes == image(kept, i));
        REQUIRE(log->get_photo(doomed_id, "p" + std::to_string(i), st::photo_part::thumb, bytes) == success);
        CHECK_FALSE(bytes);
    }

    // The deleted session is gone through the API too, and can start afresh.
    CHECK(head_of(*log, doomed_id) == 0);
    CHECK(read_all(*log, doomed_id).empty());
    CHECK_FALSE(find_op(*log, doomed_id, "op-1"));
    std::optional<std::string> meta;
    REQUIRE(log->get_metadata(doomed_id, meta) == success);
    CHECK_FALSE(meta);
    std::optional<st::checkpoint> cp;
    REQUIRE(log->latest_checkpoint(doomed_id, 10'000, cp) == success);
    CHECK_FALSE(cp);
    std::vector<std::string> sessions;
    REQUIRE(log->list_sessions(sessions) == success);
    CHECK(sessions == std::vector<std::string>{keeper});

    // Nothing comes back after a reopen (WAL replay, new MANIFEST).
    log.reset();
    CHECK_FALSE(found_in_files(db_dir, secret));
    log = open_log(dir);
    CHECK(head_of(*log, doomed_id) == 0);
    CHECK(read_all(*log, doomed_id).empty());
    CHECK(read_all(*log, keeper).size() == 2500);
    CHECK_FALSE(found_in_files(db_dir, secret));

    REQUIRE(log->append(doomed_id, {rec(1, "op-1", "a new life")}) == success);
    CHECK(read_all(*log, doomed_id)[0].payload == "a new life");
}

TEST_CASE("photos: put whole, read part by part, delete whole, survive a reopen", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);
    const st::photo photo{"by p1", std::string(300'000, 'f'), std::string(20'000, 't')};
    REQUIRE(log->put_photo(session_a, "abc123", photo) == success);
    REQUIRE(log->put_photo(session_b, "abc", {"other", "F", "T"}) == success);
    std::optional<std::string> out;
    REQUIRE(log->get_photo(session_a, "abc123", st::photo_part::meta, out) == success);
    CHECK(out == photo.meta);
    REQUIRE(log->get_photo(session_a, "abc123", st::photo_part::full, out) == success);
    CHECK(out == photo.full);
    REQUIRE(log->get_photo(session_a, "abc123", st::photo_part::thumb, out) == success);
    CHECK(out == photo.thumb);
    // Ids that start alike are different photos; other sessions see nothing.
    REQUIRE(log->get_photo(session_a, "abc", st::photo_part::full, out) == success);
    CHECK_FALSE(out);
    REQUIRE(log->get_photo(session_0, "abc123", st::photo_part::full, out) == success);
    CHECK_FALSE(out);
    // Photos make no session of their own.
    std::vector<std::string> sessions;
    REQUIRE(log->list_sessions(sessions) == success);
    CHECK(sessions.empty());

    CHECK(log->put_photo(session_a, "", photo) == code(errc::invalid_photo_id));
    CHECK(log->put_photo(session_a, "ABC", photo) == code(errc::invalid_photo_id));
    CHECK(log->put_photo(session_a, "a/b", photo) == code(errc::invalid_photo_id));
    CHECK(log->put_photo(session_a, std::string(33, 'a'), photo) == code(errc::invalid_photo_id));
    CHECK(log->get_photo("short", "abc", st::photo_part::full, out) == code(errc::invalid_session_id));

    std::vector<std::pair<std::string, std::string>> listed;
    REQUIRE(log->put_photo(session_a, "abc", {"second", "F2", "T2"}) == success);
    REQUIRE(log->list_photos(session_a, listed) == success);
    CHECK(listed == std::vector<std::pair<std::string, std::string>>{{"abc", "second"}, {"abc123", "by p1"}});
    REQUIRE(log->delete_photo(session_a, "abc") == success);

    log.reset();
    log = open_log(dir);
    REQUIRE(log->get_photo(session_a, "abc123", st::photo_part::full, out) == success);
    CHECK(out == photo.full);
    REQUIRE(log->delete_photo(session_a, "abc123") == success);
    for (const auto part : {st::photo_part::meta, st::photo_part::full, st::photo_part::thumb}) {
        REQUIRE(log->get_photo(session_a, "abc123", part, out) == success);
        CHECK_FALSE(out);
    }
    REQUIRE(log->get_photo(session_b, "abc", st::photo_part::full, out) == success);
    CHECK(out == "F");
}

TEST_CASE("deleting an unknown session succeeds and changes nothing", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir);
    REQUIRE(log->append(session_a, {rec(1), rec(2)}) == success);
    REQUIRE(log->delete_session(session_b) == success);
    REQUIRE(log->delete_session(session_0) == success);
    CHECK(seqs(read_all(*log, session_a)) == std::vector<std::uint64_t>{1, 2});
    REQUIRE(log->append(session_a, {rec(3)}) == success);
}

TEST_CASE("both durability modes store and recover the same data", "[op_log]") {
    const auto mode = GENERATE(st::durability::wal, st::durability::fsync);
    const auto other = mode == st::durability::wal ? st::durability::fsync : st::durability::wal;
    temp_dir dir;
    {
        auto log = open_log(dir, mode);
        const st::checkpoint cp{2, "state@2"};
        REQUIRE(log->append(session_a, {rec(1, "op-1"), rec(2, "op-2")}, &cp) == success);
        REQUIRE(log->append(session_a, {rec(3, "op-3")}) == success);
        REQUIRE(log->put_metadata(session_a, "meta") == success);
        REQUIRE(log->flush() == success);
        REQUIRE(log->append(session_a, {rec(4)}) == success);
    }
    auto log = open_log(dir, other);
    CHECK(seqs(read_all(*log, session_a)) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(find_op(*log, session_a, "op-2") == std::optional<std::uint64_t>{2});
    std::optional<st::checkpoint> cp;
    REQUIRE(log->latest_checkpoint(session_a, 4, cp) == success);
    REQUIRE(cp);
    CHECK(cp->payload == "state@2");
    std::optional<std::string> meta;
    REQUIRE(log->get_metadata(session_a, meta) == success);
    CHECK(meta == "meta");
}

TEST_CASE("appends to different sessions from several threads", "[op_log]") {
    temp_dir dir;
    auto log = open_log(dir, st::durability::fsync);
    constexpr std::size_t thread_count = 4;
    constexpr std::uint64_t appends = 100;
    std::atomic<int> failures{0};
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 0; t < thread_count; ++t) {
            threads.emplace_back([&, t] {
                const std::string id = "thread000000000" + std::to_string(t);
                for (std::uint64_t seq = 1; seq <= appends; ++seq) {
                    const std::vector<st::record> batch{
                        {seq, "op-" + std::to_string(seq), id + ":" + std::to_string(seq)}};
                    if (log->append(id, batch)) ++failures;
                    std::uint64_t head = 0;
                    if (log->head(id, head) || head != seq) ++failures;
                }
            });
        }
    }
    CHECK(failures == 0);
    std::vector<std::string> sessions;
    REQUIRE(log->list_sessions(sessions) == success);
    CHECK(sessions.size() == thread_count);
    for (const auto& session : sessions) {
        const auto records = read_all(*log, session);
        REQUIRE(records.size() == appends);
        for (std::uint64_t seq = 1; seq <= appends; ++seq) {
            CHECK(records[seq - 1].payload == session + ":" + std::to_string(seq));
        }
    }
}

TEST_CASE("opening errors", "[op_log]") {
    temp_dir dir;
    std::unique_ptr<st::op_log> log;
    st::options opts;
    opts.create_if_missing = false;
    CHECK(st::open_rocksdb_op_log(dir.db(), opts, log) == code(errc::not_found));
    CHECK(log == nullptr);

    auto first = open_log(dir);
    opts.create_if_missing = true;
    // The directory is locked by the first instance.
    const auto ec = st::open_rocksdb_op_log(dir.db(), opts, log);
    CHECK(ec);
    CHECK(&ec.category() == &st::storage_category());
    CHECK(log == nullptr);
}

TEST_CASE("the error category names every code", "[op_log]") {
    CHECK(std::string_view(st::storage_category().name()) == "ruche.storage");
    std::set<std::string> messages;
    for (const auto e : {errc::invalid_session_id, errc::sequence_gap, errc::duplicate_client_op_id,
                         errc::not_found, errc::io_error, errc::corruption, errc::busy,
                         errc::no_space, errc::not_empty, errc::invalid_photo_id}) {
        const std::error_code ec = e;
        CHECK(&ec.category() == &st::storage_category());
        CHECK(ec.message() != "unknown storage error");
        messages.insert(ec.message());
    }
    CHECK(messages.size() == 10);
}

namespace {

std::string crash_payload(std::uint64_t seq) {
    return R"({"type":"add_note","id":"n-)" + std::to_string(seq) +
           R"(","text":"note écrite avant la coupure"})";
}

// Runs in the forked child: appends records one by one and reports each
// acknowledged seq on `fd`. Returns the exit status; never returns to Catch2.
int crash_child(const std::string& db, int fd) noexcept {
    try {
        std::unique_ptr<st::op_log> log;
        if (st::open_rocksdb_op_log(db, st::options{}, log)) return 2;
        for (std::uint64_t seq = 1; seq <= 5000; ++seq) {
            const std::vector<st::record> batch{
                {seq, "op-" + std::to_string(seq), crash_payload(seq)}};
            if (log->append(session_a, batch)) return 3;
            if (write(fd, &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) return 4;
        }
        // Reaching the end is as abrupt as being killed: no clean close.
        return 0;
    } catch (...) {
        return 5;
    }
}

}  // namespace

TEST_CASE("every acknowledged append survives a SIGKILL of the writer", "[op_log][crash]") {
    temp_dir dir;
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        _exit(crash_child(dir.db(), fds[1]));
    }
    close(fds[1]);

    std::uint64_t last_ack = 0;
    std::string pending;
    bool eof = false;
    auto read_acks = [&](int timeout_ms) {
        pollfd p{fds[0], POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) return;
        char buffer[4096];
        const ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n <= 0) {
            eof = n == 0 || errno != EINTR;
            return;
        }
        pending.append(buffer, static_cast<std::size_t>(n));
        while (pending.size() >= sizeof(std::uint64_t)) {
            std::uint64_t seq = 0;
            std::memcpy(&seq, pending.data(), sizeof seq);
            pending.erase(0, sizeof seq);
            CHECK(seq == last_ack + 1);
            last_ack = seq;
        }
    };

    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::seconds(20);
    while (!eof && last_ack < 300 && clock::now() < deadline) read_acks(100);
    kill(pid, SIGKILL);
    // Acks written before the kill are still in the pipe.
    const auto drain_deadline = clock::now() + std::chrono::seconds(5);
    while (!eof && clock::now() < drain_deadline) read_acks(100);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    close(fds[0]);

    INFO("acknowledged: " << last_ack);
    CHECK(((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
           (WIFEXITED(status) && WEXITSTATUS(status) == 0)));
    REQUIRE(last_ack >= 300);

    auto log = open_log(dir);
    const auto head = head_of(*log, session_a);
    CHECK(head >= last_ack);
    const auto records = read_all(*log, session_a);
    REQUIRE(records.size() == head);
    for (std::uint64_t seq = 1; seq <= head; ++seq) {
        const auto& r = records[seq - 1];
        REQUIRE(r.seq == seq);
        REQUIRE(r.payload == crash_payload(seq));
        REQUIRE(r.client_op_id == "op-" + std::to_string(seq));
    }
    // The recovered log goes on from its head.
    REQUIRE(log->append(session_a, {rec(head + 1, "op-after")}) == success);
}
