#pragma once

// `ruche backup DIR` and `ruche restore DIR`: what they do and say. Each
// returns the process's exit status.

#include <cstdint>
#include <string>

namespace ruche::server {

// A backup of the op log in `data_dir` into `directory`: by the running
// server, through its control socket, when one runs; otherwise by opening
// the log itself. With `keep` > 0 only the newest `keep` backups remain.
int backup_command(const std::string& data_dir, const std::string& directory, std::uint32_t keep);

// The newest backup of `directory` restored into `data_dir`, which must be
// empty or absent; refused while a server runs on it.
int restore_command(const std::string& data_dir, const std::string& directory);

}  // namespace ruche::server
