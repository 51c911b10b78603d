// The RocksDB implementation of op_log.
//
// Every public member function validates the session id, then does its work
// inside `guarded`, so that no exception (std::bad_alloc, ...) crosses the
// module boundary: it becomes errc::io_error.
//
// Threads: storage creates none. RocksDB's background threads do flushes and
// compactions; in fsync mode, concurrent writers are merged by RocksDB's write
// group leader, so they share one WAL fsync.

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "key_encoding.hpp"
#include "rocksdb_backup.hpp"
#include "rocksdb_env.hpp"
#include "rocksdb_schema.hpp"
#include "rocksdb_status.hpp"
#include "ruche/storage/op_log.hpp"

namespace ruche::storage {
namespace {

using detail::column;
using detail::column_count;
using detail::to_error_code;

using handle_array = std::array<std::unique_ptr<rocksdb::ColumnFamilyHandle>, column_count>;

rocksdb::Slice slice(std::string_view s) noexcept {
    return {s.data(), s.size()};
}
std::string_view view(const rocksdb::Slice& s) noexcept {
    return {s.data(), s.size()};
}

template <class Body>
std::error_code guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (...) {
        return errc::io_error;
    }
}

// An iterator over one session's keys in one column family. The bounds must
// outlive the RocksDB iterator, hence this small owner.
class session_iterator {
  public:
    session_iterator(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, std::string_view session)
        : lower_(session), upper_(detail::session_end(session)) {
        rocksdb::ReadOptions read;
        lower_slice_ = slice(lower_);
        upper_slice_ = slice(upper_);
        read.iterate_lower_bound = &lower_slice_;
        read.iterate_upper_bound = &upper_slice_;
        it_.reset(db.NewIterator(read, family));
    }

    rocksdb::Iterator* operator->() const noexcept { return it_.get(); }

  private:
    std::string lower_;
    std::string upper_;
    rocksdb::Slice lower_slice_;
    rocksdb::Slice upper_slice_;
    std::unique_ptr<rocksdb::Iterator> it_;
};

// How to open the database again: read-only after a failed open, read-write
// once the disk lets it.
struct open_recipe {
    std::string directory;
    rocksdb::DBOptions db_options;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    durability mode = durability::wal;
};

// Opens the database read-write, or read-only when `read_only`.
rocksdb::Status open_db(const open_recipe& recipe, bool read_only, std::unique_ptr<rocksdb::DB>& db,
                        handle_array& handles) {
    std::vector<rocksdb::ColumnFamilyHandle*> raw_handles;
    rocksdb::DB* raw_db = nullptr;
    const auto status =
        read_only ? rocksdb::DB::OpenForReadOnly(recipe.db_options, recipe.directory,
                                                 recipe.families, &raw_handles, &raw_db)
                  : rocksdb::DB::Open(recipe.db_options, recipe.directory, recipe.families,
                                      &raw_handles, &raw_db);
    db.reset(raw_db);
    for (std::size_t i = 0; i < raw_handles.size() && i < handles.size(); ++i) {
        handles[i].reset(raw_handles[i]);
    }
    if (status.ok() && (!db || raw_handles.size() != column_count)) {
        return rocksdb::Status::IOError("column families missing");
    }
    return status;
}

void close_db(std::unique_ptr<rocksdb::DB>& db, handle_array& handles) {
    // Column family handles must go before the database.
    for (auto& handle : handles) handle.reset();
    if (db) db->Close().PermitUncheckedError();
    db.reset();
}

class rocksdb_op_log final : public op_log {
  public:
    rocksdb_op_log(std::unique_ptr<rocksdb::Env> env, open_recipe recipe,
                   std::unique_ptr<rocksdb::DB> db, handle_array handles, bool read_only)
        : env_(std::move(env)),
          recipe_(std::move(recipe)),
          db_(std::move(db)),
          handles_(std::move(handles)),
          mode_(recipe_.mode),
          read_only_(read_only),
          writable_(!read_only),
          failures_(read_only ? 1 : 0) {}

    ~rocksdb_op_log() override { close_db(db_, handles_); }  // before env_

    rocksdb_op_log(const rocksdb_op_log&) = delete;
    rocksdb_op_log& operator=(const rocksdb_op_log&) = delete;

    std::error_code append(std::string_view session, const std::vector<record>& records,
                           const checkpoint* cp) override {
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        reopen_if_due();
        return locked([&] { return do_append(session, records, cp); });
    }

    std::error_code append_all(const std::vector<session_append>& parts) override {
        for (const auto& part : parts) {
            if (!is_valid_session_id(part.session)) return errc::invalid_session_id;
        }
        reopen_if_due();
        return locked([&] { return do_append_all(parts); });
    }

    std::error_code client_ops(std::string_view session,
                               std::vector<std::pair<std::string, std::uint64_t>>& out) const override {
        out.clear();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        const auto ec = locked([&] {
            session_iterator it(*db_, family(column::op_ids), session);
            for (it->Seek(slice(session)); it->Valid(); it->Next()) {
                const auto key = view(it->key());
                const auto value = view(it->value());
                if (value.size() != detail::seq_size) return make_error_code(errc::corruption);
                out.emplace_back(std::string(key.substr(session.size())), detail::read_be64(value));
            }
            return to_error_code(it->status());
        });
        if (ec) out.clear();
        return ec;
    }

    std::error_code head(std::string_view session, std::uint64_t& out) const override {
        out = 0;
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        return locked([&] {
            {
                const std::lock_guard lock(heads_mutex_);
                if (const auto it = heads_.find(std::string(session)); it != heads_.end()) {
                    out = it->second;
                    return std::error_code{};
                }
            }
            // Only append fills the cache: a reader racing with delete_session
            // must not put back the head of a deleted session.
            return read_head(session, out);
        });
    }

    std::error_code read(std::string_view session, std::uint64_t from_seq, std::size_t max_count,
                         std::vector<record>& out) const override {
        out.clear();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        const auto ec = locked([&] { return do_read(session, from_seq, max_count, out); });
        if (ec) out.clear();
        return ec;
    }

    std::error_code find_client_op(std::string_view session, std::string_view client_op_id,
                                   std::optional<std::uint64_t>& out) const override {
        out.reset();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        if (client_op_id.empty()) return {};  // records without an id are not indexed
        return locked([&] {
            std::string value;
            const auto status = db_->Get(rocksdb::ReadOptions{}, family(column::op_ids),
                                         detail::client_op_key(session, client_op_id), &value);
            if (status.IsNotFound()) return std::error_code{};
            if (!status.ok()) return to_error_code(status);
            if (value.size() != detail::seq_size) return make_error_code(errc::corruption);
            out = detail::read_be64(value);
            return std::error_code{};
        });
    }

    std::error_code latest_checkpoint(std::string_view session, std::uint64_t at_most_seq,
                                      std::optional<checkpoint>& out) const override {
        out.reset();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        if (at_most_seq == 0) return {};  // checkpoints start at seq 1
        return locked([&] {
            session_iterator it(*db_, family(column::checkpoints), session);
            it->SeekForPrev(detail::seq_key(session, at_most_seq));
            if (!it->Valid()) return to_error_code(it->status());
            const auto key = view(it->key());
            if (key.size() != session.size() + detail::seq_size) {
                return make_error_code(errc::corruption);
            }
            out = checkpoint{detail::read_be64(key.substr(session.size())),
                             std::string(view(it->value()))};
            return std::error_code{};
        });
    }

    std::error_code put_metadata(std::string_view session, std::string_view value) override {
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        reopen_if_due();
        return locked([&] {
            const auto key = detail::session_key(session, detail::session_tag::metadata);
            rocksdb::WriteBatch batch;
            if (auto ec = to_error_code(batch.Put(family(column::sessions), key, slice(value)))) {
                return ec;
            }
            return write(write_options(), batch);
        });
    }

    std::error_code get_metadata(std::string_view session,
                                 std::optional<std::string>& out) const override {
        out.reset();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        return locked([&] {
            const auto key = detail::session_key(session, detail::session_tag::metadata);
            std::string value;
            const auto status =
                db_->Get(rocksdb::ReadOptions{}, family(column::sessions), key, &value);
            if (status.IsNotFound()) return std::error_code{};
            if (!status.ok()) return to_error_code(status);
            out = std::move(value);
            return std::error_code{};
        });
    }

    std::error_code put_photo(std::string_view session, std::string_view photo_id,
                              const photo& value) override {
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        if (!is_valid_photo_id(photo_id)) return errc::invalid_photo_id;
        reopen_if_due();
        return locked([&] {
            rocksdb::WriteBatch batch;
            const std::array<std::pair<char, const std::string*>, 3> parts{
                {{'m', &value.meta}, {'f', &value.full}, {'t', &value.thumb}}};
            for (const auto& [tag, bytes] : parts) {
                const auto status = batch.Put(family(column::photos),
                                              detail::photo_key(session, photo_id, tag), slice(*bytes));
                if (!status.ok()) return to_error_code(status);
            }
            return write(write_options(), batch);
        });
    }

    std::error_code get_photo(std::string_view session, std::string_view photo_id, photo_part part,
                              std::optional<std::string>& out) const override {
        out.reset();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        if (!is_valid_photo_id(photo_id)) return errc::invalid_photo_id;
        const char tag = part == photo_part::meta ? 'm' : part == photo_part::full ? 'f' : 't';
        return locked([&] {
            std::string value;
            const auto status = db_->Get(rocksdb::ReadOptions{}, family(column::photos),
                                         detail::photo_key(session, photo_id, tag), &value);
            if (status.IsNotFound()) return std::error_code{};
            if (!status.ok()) return to_error_code(status);
            out = std::move(value);
            return std::error_code{};
        });
    }

    std::error_code delete_photo(std::string_view session, std::string_view photo_id) override {
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        if (!is_valid_photo_id(photo_id)) return errc::invalid_photo_id;
        reopen_if_due();
        return locked([&] {
            rocksdb::WriteBatch batch;
            const auto status =
                batch.DeleteRange(family(column::photos), detail::photo_prefix(session, photo_id),
                                  detail::photo_end(session, photo_id));
            if (!status.ok()) return to_error_code(status);
            return write(write_options(), batch);
        });
    }

    std::error_code list_photos(std::string_view session,
                                std::vector<std::pair<std::string, std::string>>& out) const override {
        out.clear();
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        const auto ec = locked([&] {
            session_iterator it(*db_, family(column::photos), session);
            for (it->Seek(slice(session)); it->Valid(); it->Next()) {
                const auto key = view(it->key()).substr(session.size());
                // Only the descriptions: "<id>/m".
                if (key.size() < 3 || !key.ends_with("/m")) continue;
                out.emplace_back(std::string(key.substr(0, key.size() - 2)), std::string(view(it->value())));
            }
            return to_error_code(it->status());
        });
        if (ec) out.clear();
        return ec;
    }

    std::error_code list_sessions(std::vector<std::string>& out) const override {
        out.clear();
        const auto ec = locked([&] { return do_list_sessions(out); });
        if (ec) out.clear();
        return ec;
    }

    std::error_code delete_session(std::string_view session) override {
        if (!is_valid_session_id(session)) return errc::invalid_session_id;
        reopen_if_due();
        return locked([&] { return do_delete_session(session); });
    }

    std::error_code flush() override {
        reopen_if_due();
        return locked([&] {
            if (read_only_) return std::error_code{};  // nothing was written
            if (!writable_.load()) try_resume();
            // After a failed WAL write, RocksDB's WAL writer asserts (aborts)
            // when asked to sync; what was acknowledged is in the WAL already.
            if (!writable_.load()) return make_error_code(errc::io_error);
            if (auto ec = to_error_code(db_->FlushWAL(true))) return ec;
            return to_error_code(db_->Flush(rocksdb::FlushOptions{}, all_families()));
        });
    }

    std::error_code backup(const std::string& directory, std::uint32_t keep, backup_info& out) override {
        out = {};
        // Two BackupEngines on one directory at once would corrupt it.
        const std::lock_guard one_at_a_time(backup_mutex_);
        return locked([&] { return detail::create_backup(*db_, directory, keep, out); });
    }

    write_health health() const override {
        return {writable_.load(), failures_.load()};
    }

  private:
    // Every call runs its body under a shared lock, so that a reopen (which
    // takes it exclusively) never swaps the database under a running call.
    template <class Body>
    std::error_code locked(Body&& body) const noexcept {
        return guarded([&] {
            const std::shared_lock lock(swap_mutex_);
            if (!db_) return make_error_code(errc::io_error);  // a reopen failed entirely
            return body();
        });
    }

    // A log opened read-only (the disk was full at start), or one RocksDB
    // will no longer resume (a resume that failed half-way is fatal to it),
    // is opened again, at most once a second and only when asked to write.
    // Read-write when the disk lets it, otherwise read-only: reads go on.
    void reopen_if_due() noexcept {
        if (!read_only_.load() && !reopen_due_.load()) return;
        guarded([&] {
            const std::unique_lock lock(swap_mutex_);
            if (!read_only_.load() && !reopen_due_.load()) return std::error_code{};
            if (!resume_allowed()) return std::error_code{};
            std::unique_ptr<rocksdb::DB> db;
            handle_array handles;
            if (read_only_.load()) {
                // A read-only instance holds no lock: open read-write beside it.
                if (!open_db(recipe_, false, db, handles).ok()) {
                    close_db(db, handles);
                    return std::error_code{};
                }
                close_db(db_, handles_);
            } else {
                // The read-write instance holds the lock: close it first.
                close_db(db_, handles_);
                if (!open_db(recipe_, false, db, handles).ok()) {
                    close_db(db, handles);
                    if (!open_db(recipe_, true, db, handles).ok()) close_db(db, handles);
                    db_ = std::move(db);  // null if even that failed: calls refuse
                    handles_ = std::move(handles);
                    read_only_.store(true);
                    reopen_due_.store(false);
                    clear_heads();
                    return std::error_code{};
                }
            }
            db_ = std::move(db);
            handles_ = std::move(handles);
            read_only_.store(false);
            reopen_due_.store(false);
            clear_heads();
            return std::error_code{};
        }).clear();
    }

    void clear_heads() {
        const std::lock_guard heads_lock(heads_mutex_);
        heads_.clear();
    }

    // At most one resume or reopen a second.
    bool resume_allowed() {
        const auto now = std::chrono::steady_clock::now();
        const std::lock_guard lock(resume_mutex_);
        if (now - last_resume_ < std::chrono::seconds(1)) return false;
        last_resume_ = now;
        return true;
    }

    rocksdb::ColumnFamilyHandle* family(column c) const noexcept {
        return handles_[static_cast<std::size_t>(c)].get();
    }

    std::vector<rocksdb::ColumnFamilyHandle*> all_families() const {
        std::vector<rocksdb::ColumnFamilyHandle*> families;
        for (const auto& handle : handles_) families.push_back(handle.get());
        return families;
    }

    // Every write goes through here: it resumes a database stopped by an
    // earlier failure (at most once a second; RocksDB may also have resumed
    // by itself), then writes and remembers whether that worked.
    std::error_code write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch& batch) {
        if (read_only_.load()) {
            failures_.fetch_add(1);
            return errc::no_space;  // still read-only: the disk is still full
        }
        if (!writable_.load()) try_resume();
        const auto status = db_->Write(options, &batch);
        if (status.ok()) {
            writable_.store(true);
            return {};
        }
        const auto ec = to_error_code(status);
        if (ec == errc::io_error || ec == errc::no_space) {
            writable_.store(false);
            failures_.fetch_add(1);
        }
        return ec;
    }

    void try_resume() {
        if (!resume_allowed()) return;
        // Fails while the disk still does. Busy while RocksDB resumes by
        // itself (it waits for free space); any other failure is for good
        // for this instance: the log is then opened again (reopen_if_due).
        const auto status = db_->Resume();
        if (!status.ok() && !status.IsBusy()) reopen_due_.store(true);
    }

    rocksdb::WriteOptions write_options() const noexcept {
        rocksdb::WriteOptions write;
        write.sync = mode_ == durability::fsync;
        return write;
    }

    std::error_code read_head(std::string_view session, std::uint64_t& out) const {
        out = 0;
        std::string value;
        const auto status =
            db_->Get(rocksdb::ReadOptions{}, family(column::sessions),
                     detail::session_key(session, detail::session_tag::head), &value);
        if (status.IsNotFound()) return {};
        if (!status.ok()) return to_error_code(status);
        if (value.size() != detail::seq_size) return errc::corruption;
        out = detail::read_be64(value);
        return {};
    }

    // The head from the cache, loaded from the database on a miss. Appends to
    // one session are serialised by the caller, so nobody else changes this
    // session's entry between this read and the cache update in do_append.
    std::error_code cached_head(std::string_view session, std::uint64_t& out) {
        {
            const std::lock_guard lock(heads_mutex_);
            if (const auto it = heads_.find(std::string(session)); it != heads_.end()) {
                out = it->second;
                return {};
            }
        }
        return read_head(session, out);
    }

    std::error_code check_client_op_ids(std::string_view session,
                                        const std::vector<record>& records) const {
        std::vector<std::string_view> ids;
        for (const auto& r : records) {
            if (!r.client_op_id.empty()) ids.push_back(r.client_op_id);
        }
        std::sort(ids.begin(), ids.end());
        if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
            return errc::duplicate_client_op_id;
        }
        std::string value;
        for (const auto id : ids) {
            const auto status = db_->Get(rocksdb::ReadOptions{}, family(column::op_ids),
                                         detail::client_op_key(session, id), &value);
            if (status.ok()) return errc::duplicate_client_op_id;
            if (!status.IsNotFound()) return to_error_code(status);
        }
        return {};
    }

    std::error_code do_append(std::string_view session, const std::vector<record>& records,
                              const checkpoint* cp) {
        if (records.empty() && cp == nullptr) return {};
        return do_append_all({{session, &records, cp, nullptr}});
    }

    // Puts one session's part into `batch`; `new_head` is its head afterwards.
    std::error_code stage(rocksdb::WriteBatch& batch, const session_append& part,
                          std::uint64_t& new_head) {
        static const std::vector<record> none;
        const auto session = part.session;
        const auto& records = part.records ? *part.records : none;
        const checkpoint* cp = part.cp;
        std::uint64_t head = 0;
        if (auto ec = cached_head(session, head)) return ec;
        if (records.size() > std::numeric_limits<std::uint64_t>::max() - head) {
            return errc::sequence_gap;
        }
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (records[i].seq != head + 1 + i) return errc::sequence_gap;
        }
        new_head = head + records.size();
        if (cp != nullptr && (cp->seq == 0 || cp->seq > new_head)) return errc::sequence_gap;
        if (auto ec = check_client_op_ids(session, records)) return ec;

        for (const auto& r : records) {
            const auto key = detail::seq_key(session, r.seq);
            auto status = batch.Put(family(column::ops), key,
                                    detail::encode_op_value(r.client_op_id, r.payload));
            if (!status.ok()) return to_error_code(status);
            if (!r.client_op_id.empty()) {
                status =
                    batch.Put(family(column::op_ids),
                              detail::client_op_key(session, r.client_op_id), detail::be64(r.seq));
                if (!status.ok()) return to_error_code(status);
            }
        }
        if (!records.empty()) {
            const auto status = batch.Put(family(column::sessions),
                                          detail::session_key(session, detail::session_tag::head),
                                          detail::be64(new_head));
            if (!status.ok()) return to_error_code(status);
        }
        if (cp != nullptr) {
            const auto status = batch.Put(family(column::checkpoints),
                                          detail::seq_key(session, cp->seq), slice(cp->payload));
            if (!status.ok()) return to_error_code(status);
        }
        if (part.metadata != nullptr) {
            const auto status = batch.Put(family(column::sessions),
                                          detail::session_key(session, detail::session_tag::metadata),
                                          slice(*part.metadata));
            if (!status.ok()) return to_error_code(status);
        }
        return {};
    }

    std::error_code do_append_all(const std::vector<session_append>& parts) {
        rocksdb::WriteBatch batch;
        std::vector<std::uint64_t> heads(parts.size());
        std::vector<std::string_view> seen;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (std::find(seen.begin(), seen.end(), parts[i].session) != seen.end()) {
                return errc::sequence_gap;
            }
            seen.push_back(parts[i].session);
            if (auto ec = stage(batch, parts[i], heads[i])) return ec;
        }
        if (batch.Count() == 0) return {};
        if (auto ec = write(write_options(), batch)) return ec;

        const std::lock_guard lock(heads_mutex_);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (parts[i].records && !parts[i].records->empty()) {
                heads_.insert_or_assign(std::string(parts[i].session), heads[i]);
            }
        }
        return {};
    }

    std::error_code do_read(std::string_view session, std::uint64_t from_seq, std::size_t max_count,
                            std::vector<record>& out) const {
        if (max_count == 0) return {};
        session_iterator it(*db_, family(column::ops), session);
        for (it->Seek(detail::seq_key(session, from_seq)); it->Valid() && out.size() < max_count;
             it->Next()) {
            const auto key = view(it->key());
            if (key.size() != session.size() + detail::seq_size) return errc::corruption;
            record r;
            r.seq = detail::read_be64(key.substr(session.size()));
            if (!detail::decode_op_value(view(it->value()), r.client_op_id, r.payload)) {
                return errc::corruption;
            }
            out.push_back(std::move(r));
        }
        return to_error_code(it->status());
    }

    std::error_code do_list_sessions(std::vector<std::string>& out) const {
        std::unique_ptr<rocksdb::Iterator> it(
            db_->NewIterator(rocksdb::ReadOptions{}, family(column::sessions)));
        it->SeekToFirst();
        while (it->Valid()) {
            const auto key = view(it->key());
            const auto session = key.substr(0, session_id_size);
            if (key.size() <= session_id_size || !is_valid_session_id(session)) {
                it->Next();  // not a key this code writes; skip it
                continue;
            }
            out.emplace_back(session);
            it->Seek(detail::session_end(session));
        }
        return to_error_code(it->status());
    }

    // Erases the session, then pushes the erasure through every place its
    // bytes may still live: memtables and WAL files (flush, after which the
    // old WALs are obsolete and deleted since they are neither recycled nor
    // archived), and SST files (compaction down to the bottommost level,
    // which drops both the covered entries and the range tombstones). The
    // obsolete files are then purged before returning. Files still pinned by
    // an iterator open in another thread go when that iterator is destroyed.
    std::error_code do_delete_session(std::string_view session) {
        const std::string begin(session);
        const std::string end = detail::session_end(session);
        constexpr std::array data_families{column::ops, column::op_ids, column::sessions,
                                           column::checkpoints, column::photos};

        rocksdb::WriteBatch batch;
        for (const auto c : data_families) {
            const auto status = batch.DeleteRange(family(c), begin, end);
            if (!status.ok()) return to_error_code(status);
        }
        rocksdb::WriteOptions write;
        write.sync = true;  // a deletion is rare and must not come back
        if (auto ec = this->write(write, batch)) return ec;
        {
            const std::lock_guard lock(heads_mutex_);
            heads_.erase(begin);
        }

        if (auto ec = to_error_code(db_->Flush(rocksdb::FlushOptions{}, all_families()))) {
            return ec;
        }

        rocksdb::CompactRangeOptions compact;
        compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
        const rocksdb::Slice begin_slice = slice(begin);
        const rocksdb::Slice end_slice = slice(end);
        for (const auto c : data_families) {
            if (c == column::photos) continue;
            const auto status = db_->CompactRange(compact, family(c), &begin_slice, &end_slice);
            if (!status.ok()) return to_error_code(status);
        }
        // A blob file holds the photos of several sessions: it goes only once
        // no key refers to it. Compacting the whole family with forced blob
        // garbage collection moves every other session's photos to new blob
        // files, so the old ones, with this session's bytes, are deleted.
        // It rewrites every photo: fine for a rare request.
        compact.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
        compact.blob_garbage_collection_age_cutoff = 1.0;
        if (auto ec = to_error_code(db_->CompactRange(compact, family(column::photos), nullptr, nullptr))) {
            return ec;
        }
        return purge_obsolete_files();
    }

    // Flush and compaction delete the files they made obsolete from a
    // background thread, possibly just after our call returned. Re-enabling
    // file deletions runs a full scan and deletes every obsolete file before
    // returning, so the caller can rely on the files being gone.
    std::error_code purge_obsolete_files() {
        if (auto ec = to_error_code(db_->DisableFileDeletions())) return ec;
        return to_error_code(db_->EnableFileDeletions(/*force=*/false));
    }

    std::unique_ptr<rocksdb::Env> env_;  // null: RocksDB's default Env
    open_recipe recipe_;
    mutable std::shared_mutex swap_mutex_;  // exclusive only to replace db_ and handles_
    std::unique_ptr<rocksdb::DB> db_;
    handle_array handles_;
    durability mode_;

    std::atomic<bool> read_only_;
    std::atomic<bool> reopen_due_{false};
    std::atomic<bool> writable_;
    std::atomic<std::uint64_t> failures_;
    std::mutex resume_mutex_;
    std::mutex backup_mutex_;
    std::chrono::steady_clock::time_point last_resume_{};  // guarded by resume_mutex_

    mutable std::mutex heads_mutex_;
    std::unordered_map<std::string, std::uint64_t> heads_;  // guarded by heads_mutex_
};

}  // namespace

std::error_code open_rocksdb_op_log(const std::string& directory, const options& opts,
                                    std::unique_ptr<op_log>& out) {
    out.reset();
    return guarded([&]() -> std::error_code {
        std::error_code fs_ec;
        if (opts.create_if_missing) {
            std::filesystem::create_directories(directory, fs_ec);
            if (fs_ec) return errc::io_error;
        } else if (!std::filesystem::exists(std::filesystem::path(directory) / "CURRENT", fs_ec)) {
            return fs_ec ? errc::io_error : errc::not_found;
        }

        auto env = detail::make_faulty_env(opts.faults);
        open_recipe recipe{directory, detail::make_db_options(opts), detail::make_column_families(),
                           opts.mode};
        if (env) recipe.db_options.env = env.get();
        std::unique_ptr<rocksdb::DB> db;
        handle_array handles;  // declared after db: destroyed first
        auto status = open_db(recipe, false, db, handles);
        bool read_only = false;
        // A full disk or a read-only file system: serve what is there,
        // read-only, and try read-write again when asked to write. Not any
        // I/O error: a directory locked by another process must be refused.
        const bool cannot_write =
            status.IsNoSpace() ||
            (status.IsIOError() && status.ToString().find("Read-only file system") != std::string::npos);
        if (cannot_write &&
            std::filesystem::exists(std::filesystem::path(directory) / "CURRENT", fs_ec)) {
            close_db(db, handles);
            if (open_db(recipe, true, db, handles).ok()) {
                if (opts.log) {
                    opts.log(log_severity::error,
                             "cannot open the op log for writing (" + status.ToString() +
                                 "): open read-only, writes are refused until it can write");
                }
                read_only = true;
                status = rocksdb::Status::OK();
            }
        }
        if (!status.ok()) {
            close_db(db, handles);
            return to_error_code(status);
        }
        out = std::make_unique<rocksdb_op_log>(std::move(env), std::move(recipe), std::move(db),
                                               std::move(handles), read_only);
        return {};
    });
}

}  // namespace ruche::storage
