#pragma once

// Backups of the op log with RocksDB's BackupEngine (see op_log::backup).

#include <rocksdb/db.h>

#include <cstdint>
#include <string>
#include <system_error>

#include "ruche/storage/op_log.hpp"

namespace ruche::storage::detail {

// Adds a backup of `db` to `directory`; see op_log::backup.
std::error_code create_backup(rocksdb::DB& db, const std::string& directory, std::uint32_t keep,
                              backup_info& out);

}  // namespace ruche::storage::detail
