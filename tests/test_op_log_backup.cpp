// Backups of the op log: taken while appends go on, restored into a fresh
// directory with every append that returned before them, incremental, and
// refused where they would overwrite something.

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ruche/storage/op_log.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
namespace st = ruche::storage;
using ruche::testing::temp_dir;

constexpr std::string_view session = "backupsession001";

std::unique_ptr<st::op_log> open_log(const std::string& directory) {
    std::unique_ptr<st::op_log> log;
    REQUIRE_FALSE(st::open_rocksdb_op_log(directory, {}, log));
    return log;
}

std::string payload(std::uint64_t seq) {
    return "note " + std::to_string(seq) + " " + std::string(150, 'x');
}

void append(st::op_log& log, std::uint64_t seq) {
    const std::vector<st::record> one{{seq, "op-" + std::to_string(seq), payload(seq)}};
    REQUIRE_FALSE(log.append(session, one));
}

std::uintmax_t size_of(const fs::path& directory) {
    std::uintmax_t bytes = 0;
    for (const auto& f : fs::recursive_directory_iterator(directory)) {
        if (f.is_regular_file()) bytes += f.file_size();
    }
    return bytes;
}

}  // namespace

TEST_CASE("a backup taken while appends go on restores every append that returned before it") {
    temp_dir dir;
    const auto data = (dir.path() / "data").string();
    const auto backups = (dir.path() / "backups").string();
    auto log = open_log(data);

    std::atomic<std::uint64_t> returned{0};
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (std::uint64_t seq = 1; !stop.load() && seq <= 200'000; ++seq) {
            const std::vector<st::record> one{{seq, "op-" + std::to_string(seq), payload(seq)}};
            if (log->append(session, one)) break;
            returned.store(seq);
        }
    });
    // Back up in the middle of the writing, once there is something to keep.
    while (returned.load() < 2'000) std::this_thread::yield();
    const std::uint64_t before = returned.load();
    st::backup_info taken;
    const auto backed_up = log->backup(backups, 0, taken);
    const std::uint64_t after = returned.load();
    stop.store(true);
    writer.join();
    REQUIRE_FALSE(backed_up);
    CHECK(taken.id == 1);
    CHECK(taken.files > 0);
    CHECK(taken.bytes > before * 150);
    INFO("appends returned: " << before << " before the backup, " << after << " when it ended");

    const auto restored_dir = (dir.path() / "restored").string();
    st::backup_info restored;
    REQUIRE_FALSE(st::restore_backup(backups, restored_dir, restored));
    CHECK(restored.id == taken.id);
    auto copy = open_log(restored_dir);
    std::uint64_t head = 0;
    REQUIRE_FALSE(copy->head(session, head));
    CHECK(head >= before);
    CHECK(head <= after + 1);
    std::vector<st::record> records;
    REQUIRE_FALSE(copy->read(session, 1, 1'000'000, records));
    REQUIRE(records.size() == head);
    for (std::uint64_t i = 0; i < head; ++i) {
        if (records[i].seq != i + 1 || records[i].payload != payload(i + 1)) FAIL("record " << i + 1 << " differs");
    }
    // The restored log carries on: its client op ids are there, and it appends.
    std::optional<std::uint64_t> first;
    REQUIRE_FALSE(copy->find_client_op(session, "op-1", first));
    CHECK(first == std::optional<std::uint64_t>(1));
    append(*copy, head + 1);
}

TEST_CASE("backups are incremental, and keep only the newest ones when asked") {
    temp_dir dir;
    const auto backups = dir.path() / "backups";
    auto log = open_log((dir.path() / "data").string());
    for (std::uint64_t seq = 1; seq <= 5'000; ++seq) append(*log, seq);
    st::backup_info first, second, third;
    REQUIRE_FALSE(log->backup(backups.string(), 0, first));
    const auto after_first = size_of(backups);
    for (std::uint64_t seq = 5'001; seq <= 5'010; ++seq) append(*log, seq);
    REQUIRE_FALSE(log->backup(backups.string(), 0, second));
    // The second backup holds the whole log, but copied only what changed.
    CHECK(second.bytes > first.bytes);
    CHECK(size_of(backups) - after_first < after_first / 4);

    std::vector<st::backup_info> listed;
    REQUIRE_FALSE(st::list_backups(backups.string(), listed));
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == first.id);
    CHECK(listed[1].id == second.id);

    append(*log, 5'011);
    REQUIRE_FALSE(log->backup(backups.string(), 1, third));
    REQUIRE_FALSE(st::list_backups(backups.string(), listed));
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].id == third.id);
    // What the purged backups alone held is gone from the directory.
    CHECK(size_of(backups) < after_first * 2);
}

TEST_CASE("a restore changes nothing where it would overwrite, and needs a backup") {
    temp_dir dir;
    const auto backups = (dir.path() / "backups").string();
    st::backup_info info;
    // No backup directory, or an empty one.
    CHECK(st::restore_backup(backups, (dir.path() / "a").string(), info) == st::errc::not_found);
    fs::create_directories(backups);
    CHECK(st::restore_backup(backups, (dir.path() / "a").string(), info) == st::errc::not_found);
    std::vector<st::backup_info> listed{{}};
    CHECK_FALSE(st::list_backups((dir.path() / "none").string(), listed));
    CHECK(listed.empty());

    {
        auto log = open_log((dir.path() / "data").string());
        append(*log, 1);
        REQUIRE_FALSE(log->backup(backups, 0, info));
    }
    // A directory that holds anything, a database or not, is left as it is.
    const auto busy = dir.path() / "busy";
    fs::create_directories(busy);
    std::ofstream(busy / "notes.txt") << "à garder";
    CHECK(st::restore_backup(backups, busy.string(), info) == st::errc::not_empty);
    CHECK(st::restore_backup(backups, (dir.path() / "data").string(), info) == st::errc::not_empty);
    CHECK(std::vector<fs::path>(fs::directory_iterator(busy), fs::directory_iterator()).size() == 1);
}

TEST_CASE("a backup keeps the photos, whose bytes are in blob files") {
    temp_dir dir;
    const auto data = (dir.path() / "data").string();
    const auto backups = (dir.path() / "backups").string();
    auto log = open_log(data);
    append(*log, 1);
    const st::photo photo{"{\"by\":\"p1\"}", std::string(400'000, 'f'), std::string(30'000, 't')};
    REQUIRE_FALSE(log->put_photo(session, "photo1", photo));
    st::backup_info taken;
    REQUIRE_FALSE(log->backup(backups, 0, taken));
    // The image went to a blob file, and the backup has it.
    bool blob = false;
    for (const auto& f : fs::recursive_directory_iterator(backups)) blob = blob || f.path().extension() == ".blob";
    CHECK(blob);

    const auto restored_dir = (dir.path() / "restored").string();
    st::backup_info restored;
    REQUIRE_FALSE(st::restore_backup(backups, restored_dir, restored));
    auto copy = open_log(restored_dir);
    std::optional<std::string> bytes;
    REQUIRE_FALSE(copy->get_photo(session, "photo1", st::photo_part::full, bytes));
    CHECK(bytes == photo.full);
    REQUIRE_FALSE(copy->get_photo(session, "photo1", st::photo_part::thumb, bytes));
    CHECK(bytes == photo.thumb);
}
