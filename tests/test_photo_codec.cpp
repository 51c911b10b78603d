// Tests of the photo codec: only JPEG, PNG and WebP by their content, turned
// upright, shrunk, and saved again without any metadata.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <variant>

#include "photo_codec.hpp"
#include "photo_samples.hpp"

namespace {

namespace rs = ruche::server;
using ruche::testing::has_metadata;
using ruche::testing::image_size;
using ruche::testing::phone_photo;
using ruche::testing::sample_image;

const rs::encoded_photo& encoded(const std::variant<rs::encoded_photo, rs::photo_failure>& result) {
    if (const auto* failure = std::get_if<rs::photo_failure>(&result)) {
        FAIL("refused: " << rs::to_string(*failure));
    }
    return std::get<rs::encoded_photo>(result);
}

rs::photo_failure failure(const std::variant<rs::encoded_photo, rs::photo_failure>& result) {
    REQUIRE(std::holds_alternative<rs::photo_failure>(result));
    return std::get<rs::photo_failure>(result);
}

}  // namespace

TEST_CASE("a phone's photo comes back upright, shrunk, without EXIF, GPS or model", "[photo]") {
    REQUIRE(rs::photo_codec_init());
    const auto original = phone_photo(2400, 1200);  // stored on its side, orientation 6
    // The sample does carry what must go.
    REQUIRE(has_metadata(original));
    REQUIRE(image_size(original) == std::pair{2400, 1200});

    const auto result = rs::reencode_photo(original);
    const auto& photo = encoded(result);
    CHECK_FALSE(has_metadata(photo.full));
    CHECK_FALSE(has_metadata(photo.thumb));
    // Turned: the long side is now the height.
    CHECK(image_size(photo.full) == std::pair{800, 1600});
    CHECK(photo.width == 800);
    CHECK(photo.height == 1600);
    CHECK(image_size(photo.thumb) == std::pair{160, 320});
    CHECK(photo.full.substr(0, 3) == "\xFF\xD8\xFF");
}

TEST_CASE("PNG (with alpha) and WebP are taken, small images are not enlarged", "[photo]") {
    REQUIRE(rs::photo_codec_init());
    const auto png = encoded(rs::reencode_photo(sample_image(300, 200, ".png", true)));
    CHECK(image_size(png.full) == std::pair{300, 200});
    CHECK(image_size(png.thumb) == std::pair{300, 200});
    CHECK(png.full.substr(0, 3) == "\xFF\xD8\xFF");
    const auto webp = encoded(rs::reencode_photo(sample_image(2000, 500, ".webp")));
    CHECK(image_size(webp.full) == std::pair{1600, 400});
    CHECK(image_size(webp.thumb) == std::pair{320, 80});
}

TEST_CASE("what is not a JPEG, PNG or WebP by its content is refused", "[photo]") {
    REQUIRE(rs::photo_codec_init());
    CHECK(failure(rs::reencode_photo("")) == rs::photo_failure::not_an_image);
    CHECK(failure(rs::reencode_photo("hello, this is a text file named photo.jpg")) ==
          rs::photo_failure::not_an_image);
    CHECK(failure(rs::reencode_photo("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")) ==
          rs::photo_failure::not_an_image);
    CHECK(failure(rs::reencode_photo(sample_image(50, 50, ".gif"))) == rs::photo_failure::not_an_image);
    // Says JPEG, is not.
    CHECK(failure(rs::reencode_photo(std::string("\xFF\xD8\xFF\xE0") + std::string(100, 'x'))) ==
          rs::photo_failure::undecodable);
    // A truncated JPEG header.
    const auto jpeg = sample_image(100, 100);
    CHECK(std::holds_alternative<rs::photo_failure>(rs::reencode_photo(jpeg.substr(0, 40))));
}

TEST_CASE("an image over 40 megapixels is refused before its pixels are decoded", "[photo]") {
    REQUIRE(rs::photo_codec_init());
    // 10000 × 5000: 50 MP, a small file of one colour.
    VipsImage* black = nullptr;
    REQUIRE(vips_black(&black, 10000, 5000, "bands", 3, nullptr) == 0);
    void* buffer = nullptr;
    std::size_t length = 0;
    REQUIRE(vips_pngsave_buffer(black, &buffer, &length, "compression", 1, nullptr) == 0);
    const std::string big(static_cast<const char*>(buffer), length);
    g_free(buffer);
    g_object_unref(black);
    const auto start = std::chrono::steady_clock::now();
    CHECK(failure(rs::reencode_photo(big)) == rs::photo_failure::too_many_pixels);
    // The header only: far quicker than decoding 50 MP.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(200));
}

TEST_CASE("a 12-megapixel photo is re-encoded in reasonable time", "[photo]") {
    REQUIRE(rs::photo_codec_init());
    const auto photo = phone_photo(4000, 3000);
    const auto start = std::chrono::steady_clock::now();
    const auto result = rs::reencode_photo(photo);
    const auto took = std::chrono::steady_clock::now() - start;
    const auto& encoded_photo = encoded(result);
    CHECK(image_size(encoded_photo.full) == std::pair{1200, 1600});
    WARN("12 MP (" << photo.size() << " bytes) re-encoded in "
                   << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    CHECK(took < std::chrono::seconds(5));
}
