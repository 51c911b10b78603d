#pragma once

// The op log: an ordered, durable list of opaque records per board session.
// Storage knows nothing of notes or themes; it keeps bytes in sequence order,
// an index of client op ids for idempotent retries, per-session metadata and
// checkpoints of folded state that a caller produced.
//
// Threads: every call may come from any thread, and calls on different
// sessions may run concurrently. Appends to one session must be serialised by
// the caller (e.g. on the session's strand), and a session must not be used
// while it is being deleted. Storage starts no thread of its own; RocksDB
// flushes and compacts in its background pool.
//
// Errors: every call returns a storage error code (see errc below), never
// throws, and rejects an invalid session id with errc::invalid_session_id
// before touching anything.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace ruche::storage {

// Session ids are exactly `session_id_size` characters from [a-z0-9]; keys
// stay fixed-width so that one session's records are one contiguous range.
inline constexpr std::size_t session_id_size = 16;
bool is_valid_session_id(std::string_view id) noexcept;

enum class durability {
    wal,    // acknowledged once in the write-ahead log: survives a process crash
    fsync,  // acknowledged once the WAL is fsynced: survives power loss;
            // concurrent appends share one fsync (group commit)
};

struct record {
    std::uint64_t seq = 0;     // dense, starts at 1 for each session
    std::string client_op_id;  // empty when the op has no client id
    std::string payload;
};

struct checkpoint {
    std::uint64_t seq = 0;  // the payload is the state after applying `seq`
    std::string payload;
};

// One session's part of a group append (op_log::append_all).
struct session_append {
    std::string_view session;
    const std::vector<record>* records = nullptr;  // may be empty
    const checkpoint* cp = nullptr;
    const std::string* metadata = nullptr;  // replaces the session's metadata when given
};

// What RocksDB has to say that is worth a line in the server's log.
enum class log_severity { warning, error };

// Makes the disk under an op log fail, for tests: while set, every write,
// flush and sync of a file, and every file creation, fails as a full disk
// (or a failing disk) would; reads go on working. Thread-safe.
//
// It also keeps how much of each file the op log has synced, to tell what a
// power loss would leave: `copy_after_power_loss` copies the database
// folder as the disk would hold it if the power went now (each file written
// since the log was opened cut to what was synced, files never synced gone),
// for a test to open the copy.
class disk_faults {
  public:
    enum class kind { none, no_space, io_error };
    void set(kind k) noexcept { kind_.store(k); }
    kind get() const noexcept { return kind_.load(); }

    // Called by the file system under the op log.
    void written(const std::string& file, std::uint64_t size);
    void synced(const std::string& file);
    void renamed(const std::string& from, const std::string& to);
    void removed(const std::string& file);

    // Files of `from` are copied into `to` (which must exist); returns false
    // when a file could not be copied.
    bool copy_after_power_loss(const std::string& from, const std::string& to) const;

  private:
    struct file_state {
        std::uint64_t size = 0;    // appended so far
        std::uint64_t synced = 0;  // of which synced
        bool ever_synced = false;
    };
    std::atomic<kind> kind_{kind::none};
    mutable std::mutex files_mutex_;
    std::map<std::string, file_state> files_;  // by full path
};

struct options {
    durability mode = durability::wal;
    bool create_if_missing = true;
    // RocksDB's warnings and errors; nothing is logged when empty. RocksDB
    // writes no LOG file of its own: a log that cannot be written (a full
    // disk) must not take the op log down.
    std::function<void(log_severity, std::string_view)> log;
    std::shared_ptr<disk_faults> faults;  // tests only
};

// One backup of a whole op log in a backup directory.
struct backup_info {
    std::uint32_t id = 0;     // 1, 2, ... in its directory
    std::int64_t time = 0;    // when it was taken, seconds since the epoch
    std::uint64_t bytes = 0;  // its files' size, files shared with other backups included
    std::uint32_t files = 0;
};

// A photo of a session, as the caller made it: storage keeps the three parts
// as opaque bytes. `meta` is the caller's small description (who uploaded
// it); `full` and `thumb` are the image bytes, kept in blob files.
struct photo {
    std::string meta;
    std::string full;
    std::string thumb;
};
enum class photo_part { meta, full, thumb };

// Photo ids are 1 to `photo_id_max` characters from [a-z0-9].
inline constexpr std::size_t photo_id_max = 32;
bool is_valid_photo_id(std::string_view id) noexcept;

// Whether the op log can write, as last seen (see op_log::writable).
struct write_health {
    bool writable = true;
    std::uint64_t failures = 0;  // failed writes since the log was opened
};

class op_log {
  public:
    virtual ~op_log() = default;

    // Appends `records` atomically (one write batch): the records, their client
    // op id index entries, the new head and, when given, a checkpoint. The
    // first record's seq must be head + 1 and the rest dense; otherwise
    // nothing is written and errc::sequence_gap is returned. A client op id
    // already indexed for the session, or given twice in the batch, gives
    // errc::duplicate_client_op_id and nothing is written either.
    // The checkpoint's seq must be between 1 and the head after the batch
    // (errc::sequence_gap otherwise), so `records` may be empty to store a
    // checkpoint alone; an empty batch without a checkpoint does nothing.
    // Returns once the batch is durable as the log's `durability` says.
    virtual std::error_code append(std::string_view session, const std::vector<record>& records,
                                   const checkpoint* cp = nullptr) = 0;

    // Appends for several sessions in one atomic write: one WAL write, one
    // fsync in `fsync` mode (group commit across sessions). Each part is
    // checked as `append` checks it; if any part is refused, nothing at all is
    // written and that part's error is returned. A session appears at most
    // once (errc::sequence_gap otherwise).
    virtual std::error_code append_all(const std::vector<session_append>& parts) = 0;

    // Every client op id the session's log holds, with its seq, in no order.
    virtual std::error_code client_ops(
        std::string_view session,
        std::vector<std::pair<std::string, std::uint64_t>>& out) const = 0;

    // Last seq appended for the session; 0 when it has none.
    virtual std::error_code head(std::string_view session, std::uint64_t& out) const = 0;

    // Records with from_seq <= seq, in order, at most `max_count` of them.
    // `out` is replaced; it is empty for an unknown session and on error.
    virtual std::error_code read(std::string_view session, std::uint64_t from_seq,
                                 std::size_t max_count, std::vector<record>& out) const = 0;

    // The seq previously stored under this client op id, if any. Records with
    // an empty client op id are not indexed: an empty id is never found.
    virtual std::error_code find_client_op(std::string_view session, std::string_view client_op_id,
                                           std::optional<std::uint64_t>& out) const = 0;

    // The newest checkpoint whose seq <= at_most_seq, if any.
    virtual std::error_code latest_checkpoint(std::string_view session, std::uint64_t at_most_seq,
                                              std::optional<checkpoint>& out) const = 0;

    // Free-form metadata the caller keeps for a session (the server keeps its
    // join code and the SHA-256 of its tokens there).
    virtual std::error_code put_metadata(std::string_view session, std::string_view value) = 0;
    virtual std::error_code get_metadata(std::string_view session,
                                         std::optional<std::string>& out) const = 0;

    // Photos: stored whole (the three parts in one write), read part by
    // part, deleted whole. A photo id is checked (errc::invalid_photo_id).
    // Putting an id that exists replaces it. Getting an unknown photo gives
    // an empty `out` and success. A session's photos go with it
    // (delete_session), and are not in its list of sessions.
    virtual std::error_code put_photo(std::string_view session, std::string_view photo_id,
                                      const photo& value) = 0;
    virtual std::error_code get_photo(std::string_view session, std::string_view photo_id,
                                      photo_part part, std::optional<std::string>& out) const = 0;
    virtual std::error_code delete_photo(std::string_view session, std::string_view photo_id) = 0;
    // Every photo of the session: its id and its `meta`, in id order.
    virtual std::error_code list_photos(std::string_view session,
                                        std::vector<std::pair<std::string, std::string>>& out) const = 0;

    // Every session that has metadata or records, in id order.
    virtual std::error_code list_sessions(std::vector<std::string>& out) const = 0;

    // Removes everything of the session (records, index, head, metadata,
    // checkpoints, photos), then flushes and compacts so that, when it returns, none of
    // the session's payloads, metadata or checkpoints remain in any file of
    // the database directory (WAL, SST). Keys are different: the session id,
    // seqs and client op ids of file boundaries stay in the MANIFEST until the
    // next open, which writes a fresh one. A file pinned by a read running
    // concurrently in another thread is deleted when that read ends.
    // Deleting an unknown session succeeds. Slow (flush + compaction): meant
    // for the rare "erase this workshop" request, not for a hot path.
    virtual std::error_code delete_session(std::string_view session) = 0;

    // Makes everything appended so far durable (used on shutdown in wal mode).
    virtual std::error_code flush() = 0;

    // Adds a backup of the whole log to `directory` (created if missing):
    // every append that returned before the call is in it. Backups are
    // incremental: a file an earlier backup in that directory holds is not
    // copied again. With `keep` > 0, only the newest `keep` backups remain.
    // Appends go on while it runs (it flushes the memtables first, then
    // copies files). `out` describes the new backup.
    virtual std::error_code backup(const std::string& directory, std::uint32_t keep,
                                   backup_info& out) = 0;

    // After a failed write (a full disk, an I/O error) RocksDB refuses every
    // write until it is resumed. Each write while in that state first tries
    // to resume, at most once a second, so writing comes back by itself
    // when the disk has room again (RocksDB waits until its write buffer
    // fits, checking every 5 s); reads are served throughout. When RocksDB
    // will not resume (after an I/O error, or a resume that failed half-way)
    // the log opens itself again, read-only if it cannot write yet. A log
    // opened on a full disk is read-only until a write finds it can open it
    // read-write. A write refused for lack of space was not written: only
    // what a write acknowledged comes back after a reopen.
    virtual write_health health() const = 0;
};

// Opens (or creates) a RocksDB op log in `directory`. A database left behind by
// a killed process is recovered: every acknowledged append is there.
std::error_code open_rocksdb_op_log(const std::string& directory, const options& opts,
                                    std::unique_ptr<op_log>& out);

// The backups in `directory`, oldest first (none: an empty list).
std::error_code list_backups(const std::string& directory, std::vector<backup_info>& out);

// Restores the newest backup of `backup_directory` into `data_directory`
// (created if missing), where `open_rocksdb_op_log` then finds it. A
// directory that already holds anything is refused with errc::not_empty,
// and nothing is changed; no backup at all is errc::not_found.
std::error_code restore_backup(const std::string& backup_directory, const std::string& data_directory,
                               backup_info& out);

enum class errc {
    invalid_session_id = 1,
    sequence_gap,
    duplicate_client_op_id,
    not_found,
    io_error,
    corruption,
    busy,
    no_space,   // the disk is full; nothing was written
    not_empty,  // a restore into a directory that holds files
    invalid_photo_id,
};
const std::error_category& storage_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

}  // namespace ruche::storage

template <>
struct std::is_error_code_enum<ruche::storage::errc> : std::true_type {};
