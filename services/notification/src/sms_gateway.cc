#include "sms_gateway.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace pact::notification {
namespace {

struct Values {
  std::string_view to, text, sender, idempotency_key;

  // Null when `name` is no placeholder we know.
  const std::string_view* find(std::string_view name) const {
    if (name == "to") return &to;
    if (name == "text") return &text;
    if (name == "sender") return &sender;
    if (name == "idempotency_key") return &idempotency_key;
    return nullptr;
  }
};

bool known_placeholder(std::string_view name) { return Values{}.find(name) != nullptr; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Goes through a template piece by piece: `literal` gets the text between placeholders, `placeholder`
// each placeholder's name (without braces and surrounding blanks). Returns false at a "{{" that is
// never closed.
template <typename Literal, typename Placeholder>
bool walk_template(std::string_view text, Literal literal, Placeholder placeholder) {
  while (!text.empty()) {
    const auto open = text.find("{{");
    if (open == std::string_view::npos) {
      literal(text);
      return true;
    }
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return false;
    literal(text.substr(0, open));
    placeholder(trimmed(text.substr(open + 2, close - open - 2)));
    text.remove_prefix(close + 2);
  }
  return true;
}

std::string percent_encoded(std::string_view value) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(value.size() * 3);
  for (const char c : value) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0f];
    }
  }
  return encoded;
}

std::string json_escaped(std::string_view value) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string escaped;
  escaped.reserve(value.size() + 8);
  for (const char c : value) {
    switch (c) {
      case '"': escaped += "\\\""; break;
      case '\\': escaped += "\\\\"; break;
      case '\n': escaped += "\\n"; break;
      case '\r': escaped += "\\r"; break;
      case '\t': escaped += "\\t"; break;
      case '\b': escaped += "\\b"; break;
      case '\f': escaped += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          escaped += "\\u00";
          escaped += kHex[static_cast<unsigned char>(c) >> 4];
          escaped += kHex[static_cast<unsigned char>(c) & 0x0f];
        } else {
          escaped += c;  // UTF-8 passes as it is: JSON is UTF-8
        }
    }
  }
  return escaped;
}

template <typename Encode>
std::string expanded(std::string_view text, const Values& values, Encode encode) {
  std::string result;
  const bool closed = walk_template(
      text, [&](std::string_view literal) { result += literal; },
      [&](std::string_view name) {
        const auto* value = values.find(name);
        if (value == nullptr) throw std::invalid_argument("unknown SMS template placeholder {{" + std::string(name) + "}}");
        result += encode(*value);
      });
  if (!closed) throw std::invalid_argument("an SMS template has a {{ that is never closed");
  return result;
}

bool is_http_url(std::string_view url) {
  for (const std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (url.size() > scheme.size() && equals_ignoring_case(url.substr(0, scheme.size()), scheme)) {
      const char first = url[scheme.size()];
      return first != '/' && first != '?' && first != '#';
    }
  }
  return false;
}

bool is_token_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The name of a "Name: value" header, or empty when the line is not one.
std::string_view header_name(std::string_view header) {
  const auto colon = header.find(':');
  if (colon == std::string_view::npos || colon == 0) return {};
  const auto name = header.substr(0, colon);
  return std::all_of(name.begin(), name.end(), is_token_character) ? name : std::string_view{};
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f'; });
}

bool body_is_json(const std::vector<std::string>& headers) {
  return std::any_of(headers.begin(), headers.end(), [](const std::string& header) {
    if (!equals_ignoring_case(header_name(header), "Content-Type")) return false;
    std::string value = header.substr(header.find(':') + 1);
    std::transform(value.begin(), value.end(), value.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return value.find("json") != std::string::npos;  // application/json, application/vnd.x+json, …
  });
}

}  // namespace

bool is_e164(std::string_view number) {
  if (number.size() < 9 || number.size() > 16 || number.front() != '+') return false;
  return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> sms_config_problems(const SmsGatewayConfig& config) {
  std::vector<std::string> problems;
  std::array<bool, 2> used{};  // {{to}}, {{text}}
  const auto check = [&](std::string_view text, std::string_view where, bool in_header) {
    const bool closed = walk_template(
        text, [](std::string_view) {},
        [&](std::string_view name) {
          if (!known_placeholder(name)) {
            problems.push_back("unknown placeholder {{" + std::string(name) + "}} in " + std::string(where));
            return;
          }
          if (name == "to") used[0] = true;
          if (name == "text") {
            used[1] = true;
            // A message may hold line breaks and any script; neither belongs in a header.
            if (in_header) problems.push_back("{{text}} cannot go into a header (" + std::string(where) + ")");
          }
        });
    if (!closed) problems.push_back("a {{ is never closed in " + std::string(where));
  };

  if (!is_http_url(config.url_template)) problems.push_back("the URL must start with http:// or https:// and a host");
  check(config.url_template, "the URL", false);
  if (config.method != "GET" && config.method != "POST") problems.push_back("the method must be GET or POST, not " + config.method);
  if (config.method == "GET" && !config.body_template.empty()) problems.push_back("a GET request cannot carry the body template");
  for (const auto& header : config.header_templates) {
    if (header_name(header).empty() || has_control(header)) {
      problems.push_back("header \"" + header + "\" is not a single \"Name: value\" line");
      continue;
    }
    check(header, "header " + std::string(header_name(header)), true);
  }
  check(config.body_template, "the body", false);
  if (!used[0]) problems.push_back("{{to}} is used nowhere, so the gateway would not know the recipient");
  if (!used[1]) problems.push_back("{{text}} is used nowhere, so the gateway would not know the message");
  return problems;
}

TransferRequest sms_request(const SmsGatewayConfig& config, std::string_view to, std::string_view text,
                            std::string_view sender, std::string_view idempotency_key) {
  if (!is_e164(to)) throw std::invalid_argument("SMS recipient is not an E.164 number");
  if (const auto problems = sms_config_problems(config); !problems.empty()) {
    throw std::invalid_argument("SMS gateway configuration: " + problems.front());
  }
  const Values values{to, text, sender, idempotency_key};
  TransferRequest request;
  request.protocol = TransferRequest::Protocol::http;
  request.method = config.method;
  request.url = expanded(config.url_template, values, percent_encoded);
  for (const auto& header_template : config.header_templates) {
    auto header = expanded(header_template, values, [](std::string_view value) { return std::string(value); });
    // Headers take values verbatim, so a line break in one would add a header of its own.
    if (has_control(header)) throw std::invalid_argument("an SMS value would put a line break into a header");
    request.headers.push_back(std::move(header));
  }
  if (body_is_json(config.header_templates)) {
    request.body = expanded(config.body_template, values, json_escaped);
  } else {
    request.body = expanded(config.body_template, values, percent_encoded);
  }
  return request;
}

}  // namespace pact::notification
