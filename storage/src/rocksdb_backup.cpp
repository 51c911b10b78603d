// Backups with RocksDB's BackupEngine: table files are shared between the
// backups of one directory (each backup copies only the files the others
// lack), and every backup has its own MANIFEST, so any of them restores on
// its own. The memtables are flushed first, so a backup needs no WAL.

#include "rocksdb_backup.hpp"

#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "rocksdb_status.hpp"

namespace ruche::storage {
namespace {

namespace fs = std::filesystem;

backup_info info_of(const rocksdb::BackupInfo& b) {
    return {b.backup_id, b.timestamp, b.size, b.number_files};
}

rocksdb::BackupEngineOptions engine_options(const std::string& directory) {
    rocksdb::BackupEngineOptions options(directory);
    options.share_table_files = true;
    options.max_background_operations = 1;  // the server's cores are for its clients
    return options;
}

// The backups of an existing directory; errc::not_found when it is missing.
std::error_code read_backups(const std::string& directory, std::vector<rocksdb::BackupInfo>& out,
                             std::unique_ptr<rocksdb::BackupEngineReadOnly>& engine) {
    out.clear();
    std::error_code fs_error;
    if (!fs::is_directory(directory, fs_error)) return errc::not_found;
    rocksdb::BackupEngineReadOnly* raw = nullptr;
    const auto status = rocksdb::BackupEngineReadOnly::Open(engine_options(directory), rocksdb::Env::Default(), &raw);
    engine.reset(raw);
    if (!status.ok()) return detail::to_error_code(status);
    engine->GetBackupInfo(&out);  // oldest first
    return {};
}

}  // namespace

namespace detail {

std::error_code create_backup(rocksdb::DB& db, const std::string& directory, std::uint32_t keep,
                              backup_info& out) {
    out = {};
    std::error_code fs_error;
    fs::create_directories(directory, fs_error);
    if (fs_error) return errc::io_error;
    rocksdb::BackupEngine* raw = nullptr;
    auto status = rocksdb::BackupEngine::Open(engine_options(directory), db.GetEnv(), &raw);
    const std::unique_ptr<rocksdb::BackupEngine> engine(raw);
    if (!status.ok()) return to_error_code(status);
    rocksdb::CreateBackupOptions create;
    create.flush_before_backup = true;
    rocksdb::BackupID id = 0;
    status = engine->CreateNewBackup(create, &db, &id);
    if (!status.ok()) return to_error_code(status);
    if (keep > 0) {
        status = engine->PurgeOldBackups(keep);
        if (!status.ok()) return to_error_code(status);
    }
    rocksdb::BackupInfo info;
    if (const auto found = engine->GetBackupInfo(id, &info); !found.ok()) return to_error_code(found);
    out = info_of(info);
    return {};
}

}  // namespace detail

std::error_code list_backups(const std::string& directory, std::vector<backup_info>& out) {
    out.clear();
    std::vector<rocksdb::BackupInfo> found;
    std::unique_ptr<rocksdb::BackupEngineReadOnly> engine;
    if (auto ec = read_backups(directory, found, engine)) return ec == errc::not_found ? std::error_code{} : ec;
    for (const auto& b : found) out.push_back(info_of(b));
    return {};
}

std::error_code restore_backup(const std::string& backup_directory, const std::string& data_directory,
                               backup_info& out) {
    out = {};
    std::error_code fs_error;
    if (fs::exists(data_directory, fs_error) && !fs::is_empty(data_directory, fs_error)) return errc::not_empty;
    std::vector<rocksdb::BackupInfo> found;
    std::unique_ptr<rocksdb::BackupEngineReadOnly> engine;
    if (auto ec = read_backups(backup_directory, found, engine)) return ec;
    if (found.empty()) return errc::not_found;
    fs::create_directories(data_directory, fs_error);
    if (fs_error) return errc::io_error;
    const auto status = engine->RestoreDBFromLatestBackup(data_directory, data_directory);
    if (!status.ok()) return detail::to_error_code(status);
    out = info_of(found.back());
    return {};
}

}  // namespace ruche::storage
