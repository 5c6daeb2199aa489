#include "api/http/web_assets.h"

#include <string>

#include "api/http/errors.h"

namespace turnaround::api {

namespace {

void security_headers(HttpResponse& res) {
  res.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
  res.headers.emplace_back("X-Frame-Options", "DENY");
}

// True if the If-None-Match header lists `etag` (or is "*").
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag || item == "*") return true;
  }
  return false;
}

}  // namespace

const EmbeddedAsset* find_asset(std::string_view name) {
  for (std::size_t i = 0; i < kEmbeddedAssetCount; ++i) {
    if (name == kEmbeddedAssets[i].name) return &kEmbeddedAssets[i];
  }
  return nullptr;
}

std::optional<HttpResponse> web_asset_response(const HttpRequest& request) {
  const std::string_view path = request.path();
  std::string_view name;
  if (path == "/" || path == "/index.html") {
    name = "index.html";
  } else if (path == "/favicon.ico") {
    name = "icon.svg";  // browsers ask for it on every page of the origin
  } else if (path.starts_with("/assets/")) {
    name = path.substr(8);
  } else {
    return std::nullopt;
  }
  HttpResponse res;
  if (request.method != "GET") {
    res = error_response(405, "method_not_allowed",
                         request.method + " is not allowed on " + std::string(path) + " (allowed: GET)");
    res.headers.emplace_back("Allow", "GET");
  } else if (const EmbeddedAsset* asset = name.find('/') == std::string_view::npos ? find_asset(name) : nullptr) {
    res.headers.emplace_back("ETag", asset->etag);
    res.headers.emplace_back("Cache-Control", "no-cache");
    res.content_type = asset->content_type;
    if (etag_matches(request.if_none_match, asset->etag)) {
      res.status = 304;
    } else {
      res.body.assign(reinterpret_cast<const char*>(asset->data), asset->size);
    }
  } else {
    res = error_response(404, "not_found", "no web page file " + std::string(path));
  }
  security_headers(res);
  return res;
}

}  // namespace turnaround::api
