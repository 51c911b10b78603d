#include "ruche/wire/geojson.hpp"

#include <algorithm>
#include <vector>

namespace ruche::protocol {
namespace {

json point(const geo_point& p) {
    const json at = to_json(p);
    return {{"type", "Point"}, {"coordinates", {at.at("lon"), at.at("lat")}}};
}

json feature(const geo_point& p, json properties) {
    return {{"type", "Feature"}, {"geometry", point(p)}, {"properties", std::move(properties)}};
}

json or_null(const std::string* s) {
    return s ? json(*s) : json(nullptr);
}

}  // namespace

json walk_geojson(const board& b, std::string_view photo_path) {
    const auto stops = route(b);
    json features = json::array();
    for (std::size_t i = 0; i < stops.size(); ++i) {
        const stop& st = *stops[i];
        if (!st.place) continue;
        features.push_back(feature(*st.place, {{"kind", "stop"},
                                               {"number", i + 1},
                                               {"stop", st.name},
                                               {"question", st.question}}));
    }
    std::vector<const note*> notes;
    for (const auto& [id, n] : b.notes) notes.push_back(&n);
    std::sort(notes.begin(), notes.end(), [](const note* x, const note* y) { return x->created_seq < y->created_seq; });
    for (const note* n : notes) {
        const stop* st = nullptr;
        if (n->stop) {
            if (auto it = b.stops.find(*n->stop); it != b.stops.end()) st = &it->second;
        }
        const geo_point* where = n->location ? &*n->location : (st && st->place ? &*st->place : nullptr);
        if (!where) continue;
        const std::string* category =
            n->category && *n->category < b.settings.categories.size() ? &b.settings.categories[*n->category] : nullptr;
        const std::string* theme = nullptr;
        if (n->theme) {
            if (auto it = b.themes.find(*n->theme); it != b.themes.end()) theme = &it->second.title;
        }
        json properties = {{"kind", "note"},
                           {"text", n->text},
                           {"stop", or_null(st ? &st->name : nullptr)},
                           {"category", or_null(category)},
                           {"theme", or_null(theme)},
                           {"votes", total(n->votes)},
                           {"position", n->location ? "author" : "stop"}};
        if (n->location && n->location->accuracy) properties["accuracy_m"] = n->location->accuracy;
        if (n->photo) properties["photo"] = std::string(photo_path) + *n->photo;
        features.push_back(feature(*where, std::move(properties)));
    }
    return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

}  // namespace ruche::protocol
