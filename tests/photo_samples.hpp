#pragma once

// Images for the photo tests, made at test time with libvips: a JPEG of a
// given size, and the same with an EXIF segment that says where it was taken
// (GPS), which phone made it, and that it must be turned (orientation 6: the
// stored image is on its side), as a phone's photo does.

#include <vips/vips.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace ruche::testing {

// Where a photo claims to be taken: the bytes a clean copy must not hold.
inline constexpr std::string_view gps_marker = "GPS-SECRET-48.8566";
inline constexpr std::string_view phone_marker = "PhoneModel-Secret-X1";

// A JPEG of `width` × `height` pixels (a gradient, so it compresses as a
// photo would), without metadata. `format` ".jpg", ".png" or ".webp".
inline std::string sample_image(int width, int height, const char* format = ".jpg", bool alpha = false) {
    VipsImage* xyz = nullptr;
    REQUIRE(vips_xyz(&xyz, width, height, nullptr) == 0);
    VipsImage* bands[3] = {};
    REQUIRE(vips_extract_band(xyz, &bands[0], 0, nullptr) == 0);
    REQUIRE(vips_extract_band(xyz, &bands[1], 1, nullptr) == 0);
    VipsImage* sum = nullptr;
    REQUIRE(vips_add(bands[0], bands[1], &sum, nullptr) == 0);
    VipsImage* channels[4] = {bands[0], bands[1], sum, sum};
    VipsImage* joined = nullptr;
    REQUIRE(vips_bandjoin(channels, &joined, alpha ? 4 : 3, nullptr) == 0);
    VipsImage* bytes = nullptr;
    REQUIRE(vips_cast_uchar(joined, &bytes, nullptr) == 0);
    void* buffer = nullptr;
    std::size_t length = 0;
    REQUIRE(vips_image_write_to_buffer(bytes, format, &buffer, &length, "strip", TRUE, nullptr) == 0);
    std::string out(static_cast<const char*>(buffer), length);
    g_free(buffer);
    for (auto* image : {xyz, bands[0], bands[1], sum, joined, bytes}) g_object_unref(image);
    return out;
}

// A photo-like JPEG: a gradient with noise (a phone's sensor), so that it
// weighs what a phone's photo does (about 2 MB for 12 megapixels).
inline std::string noisy_photo(int width, int height, double sigma, int quality) {
    VipsImage* noise = nullptr;
    REQUIRE(vips_gaussnoise(&noise, width, height, "sigma", sigma, "mean", 0.0, nullptr) == 0);
    VipsImage* xyz = nullptr;
    REQUIRE(vips_xyz(&xyz, width, height, nullptr) == 0);
    VipsImage* x = nullptr;
    REQUIRE(vips_extract_band(xyz, &x, 0, nullptr) == 0);
    VipsImage* shade = nullptr;
    REQUIRE(vips_linear1(x, &shade, 200.0 / width, 30.0, nullptr) == 0);
    VipsImage* sum = nullptr;
    REQUIRE(vips_add(shade, noise, &sum, nullptr) == 0);
    VipsImage* channels[3] = {sum, sum, shade};
    VipsImage* joined = nullptr;
    REQUIRE(vips_bandjoin(channels, &joined, 3, nullptr) == 0);
    VipsImage* bytes = nullptr;
    REQUIRE(vips_cast_uchar(joined, &bytes, nullptr) == 0);
    void* buffer = nullptr;
    std::size_t length = 0;
    REQUIRE(vips_jpegsave_buffer(bytes, &buffer, &length, "Q", quality, nullptr) == 0);
    std::string out(static_cast<const char*>(buffer), length);
    g_free(buffer);
    for (auto* image : {noise, xyz, x, shade, sum, joined, bytes}) g_object_unref(image);
    return out;
}

namespace detail {
inline void le16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(v >> 8));
}
inline void le32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void entry(std::string& out, std::uint16_t tag, std::uint16_t type, std::uint32_t count,
                  std::uint32_t value) {
    le16(out, tag);
    le16(out, type);
    le32(out, count);
    le32(out, value);
}
}  // namespace detail

// An APP1 Exif segment: orientation 6, the phone's model, and a GPS IFD
// with a latitude and a processing method that holds gps_marker.
inline std::string exif_segment() {
    using namespace detail;
    const std::string model = std::string(phone_marker) + '\0';
    const std::string method = "ASCII\0\0\0" + std::string(gps_marker);
    // Layout: header 8 | IFD0 (3 entries) | GPS IFD (3 entries) | data.
    const std::uint32_t ifd0 = 8;
    const std::uint32_t ifd0_size = 2 + 3 * 12 + 4;
    const std::uint32_t gps = ifd0 + ifd0_size;
    const std::uint32_t gps_size = 2 + 3 * 12 + 4;
    const std::uint32_t model_at = gps + gps_size;
    const std::uint32_t latitude_at = model_at + static_cast<std::uint32_t>(model.size());
    const std::uint32_t method_at = latitude_at + 24;

    std::string tiff = "II";
    le16(tiff, 42);
    le32(tiff, ifd0);
    le16(tiff, 3);
    entry(tiff, 0x0110, 2, static_cast<std::uint32_t>(model.size()), model_at);  // Model
    entry(tiff, 0x0112, 3, 1, 6);                                                // Orientation
    entry(tiff, 0x8825, 4, 1, gps);                                              // GPS IFD
    le32(tiff, 0);
    le16(tiff, 3);
    entry(tiff, 0x0001, 2, 2, 'N');                                              // GPSLatitudeRef
    entry(tiff, 0x0002, 5, 3, latitude_at);                                      // GPSLatitude
    entry(tiff, 0x001B, 7, static_cast<std::uint32_t>(method.size()), method_at);  // GPSProcessingMethod
    le32(tiff, 0);
    tiff += model;
    for (const std::uint32_t v : {48u, 1u, 51u, 1u, 24u, 1u}) le32(tiff, v);
    tiff += method;

    std::string segment = "\xFF\xE1";
    const std::string body = std::string("Exif\0\0", 6) + tiff;
    const auto length = static_cast<std::uint16_t>(body.size() + 2);
    segment.push_back(static_cast<char>(length >> 8));
    segment.push_back(static_cast<char>(length & 0xff));
    return segment + body;
}

// A phone's photo: a JPEG `width` × `height` as stored (on its side), which
// its EXIF says to turn, and which says where and with what it was taken.
inline std::string phone_photo(int width, int height) {
    const auto jpeg = sample_image(width, height);
    REQUIRE(jpeg.substr(0, 2) == "\xFF\xD8");
    return jpeg.substr(0, 2) + exif_segment() + jpeg.substr(2);
}

// Whether a JPEG holds metadata of any kind: an APP1 segment (EXIF, XMP),
// an APP13 (IPTC), or the markers' bytes anywhere.
inline bool has_metadata(std::string_view jpeg) {
    if (jpeg.find("Exif") != std::string_view::npos) return true;
    if (jpeg.find("http://ns.adobe.com/xap") != std::string_view::npos) return true;
    if (jpeg.find("GPS") != std::string_view::npos) return true;
    if (jpeg.find(gps_marker) != std::string_view::npos) return true;
    if (jpeg.find(phone_marker) != std::string_view::npos) return true;
    // Walk the segments before the image data.
    std::size_t at = 2;
    while (at + 4 <= jpeg.size() && static_cast<unsigned char>(jpeg[at]) == 0xFF) {
        const auto marker = static_cast<unsigned char>(jpeg[at + 1]);
        if (marker == 0xDA) break;  // start of scan
        if (marker == 0xE1 || marker == 0xED) return true;
        const auto length = (static_cast<std::size_t>(static_cast<unsigned char>(jpeg[at + 2])) << 8) |
                            static_cast<unsigned char>(jpeg[at + 3]);
        at += 2 + length;
    }
    return false;
}

// The size of an image, from its header.
inline std::pair<int, int> image_size(std::string_view bytes) {
    VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
    REQUIRE(image != nullptr);
    const std::pair<int, int> size{vips_image_get_width(image), vips_image_get_height(image)};
    g_object_unref(image);
    return size;
}

}  // namespace ruche::testing
