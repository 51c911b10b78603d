#pragma once

// Whether some bytes are anywhere on disk under a directory: for tests that a
// database keeps no secret, or no longer keeps what was deleted.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ruche::testing {

// Reads every regular file under `root` and tells whether `needle` occurs in
// any of them; `where` collects the names of the files that contain it. A
// scan disturbed by RocksDB deleting a file meanwhile is started again, so
// that an incomplete scan never passes for a clean one.
inline bool found_in_files(const std::filesystem::path& root, std::string_view needle,
                           std::vector<std::string>* where = nullptr) {
    namespace fs = std::filesystem;
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::vector<std::string> files;
        std::error_code ec;
        fs::recursive_directory_iterator it(root, ec);
        for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
            std::error_code type_ec;
            if (!it->is_regular_file(type_ec)) continue;  // directories, or gone meanwhile
            std::ifstream in(it->path(), std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(in),
                                    std::istreambuf_iterator<char>()};
            if (bytes.find(needle) != std::string::npos) {
                files.push_back(it->path().filename().string());
            }
        }
        if (ec) continue;
        if (where != nullptr) *where = files;
        return !files.empty();
    }
    FAIL("could not scan " << root);
    return true;
}

}  // namespace ruche::testing
