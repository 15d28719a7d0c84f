#include "email_message.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

namespace pact::notification {
namespace {

// RFC 2047 keeps an encoded-word within 75 characters; 42 bytes make 56 base64 characters, so
// "Subject: " and one word stay within the recommended 78-character line.
constexpr std::size_t kEncodedWordBytes = 42;
constexpr std::size_t kRecommendedLine = 78;
constexpr std::size_t kBase64Line = 76;  // RFC 2045's limit for base64 body lines
constexpr std::string_view kCrlf = "\r\n";

std::string base64(std::string_view data) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t at) { return static_cast<unsigned>(static_cast<unsigned char>(data[at])); };
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    encoded += kAlphabet[group >> 18 & 63];
    encoded += kAlphabet[group >> 12 & 63];
    encoded += kAlphabet[group >> 6 & 63];
    encoded += kAlphabet[group & 63];
  }
  if (const std::size_t rest = data.size() - i; rest > 0) {
    const unsigned group = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0U);
    encoded += kAlphabet[group >> 18 & 63];
    encoded += kAlphabet[group >> 12 & 63];
    encoded += rest == 2 ? kAlphabet[group >> 6 & 63] : '=';
    encoded += '=';
  }
  return encoded;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_control(char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f'; }

void refuse_controls(std::string_view value, std::string_view field) {
  // A line break in a header value would let whoever chose the value add headers of their own.
  if (std::any_of(value.begin(), value.end(), is_control)) {
    throw std::invalid_argument("e-mail " + std::string(field) + " contains a line break or control character");
  }
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// UTF-8 text as RFC 2047 encoded-words, folded onto continuation lines. Words end on character
// boundaries, because a reader decodes each word on its own.
std::string encoded_words(std::string_view text) {
  std::string words;
  while (!text.empty()) {
    std::size_t cut = std::min(kEncodedWordBytes, text.size());
    while (cut < text.size() && cut > 0 && is_continuation_byte(text[cut])) --cut;
    if (cut == 0) cut = std::min(kEncodedWordBytes, text.size());  // not UTF-8: split anywhere
    if (!words.empty()) words += "\r\n ";
    words += "=?UTF-8?B?" + base64(text.substr(0, cut)) + "?=";
    text.remove_prefix(cut);
  }
  return words;
}

bool is_address_character(char c) {
  return c > ' ' && c < '\x7f' && std::string_view("<>()[],;:\\\"").find(c) == std::string_view::npos;
}

struct Mailbox {
  std::string_view name;  // empty when there is none
  std::string_view address;
};

// Splits "address" or "Display Name <address>", refusing what cannot be sent safely.
Mailbox parse_mailbox(std::string_view value, std::string_view field) {
  refuse_controls(value, field);
  value = trimmed(value);
  Mailbox mailbox{{}, value};
  if (const auto open = value.rfind('<'); open != std::string_view::npos && value.ends_with('>')) {
    mailbox.name = trimmed(value.substr(0, open));
    mailbox.address = value.substr(open + 1, value.size() - open - 2);
  }
  // Non-ASCII addresses need SMTPUTF8 end to end, which relays cannot be relied on to offer.
  const auto address = mailbox.address;
  if (address.empty() || std::count(address.begin(), address.end(), '@') != 1 ||
      !std::all_of(address.begin(), address.end(), is_address_character)) {
    throw std::invalid_argument("e-mail " + std::string(field) + " is not a plain ASCII address");
  }
  return mailbox;
}

// "address" or "Display Name <address>", ready for a From or To header.
std::string mailbox(std::string_view value, std::string_view field) {
  const auto [name, address] = parse_mailbox(value, field);
  if (name.empty()) return std::string(address);
  std::string phrase;
  if (!is_ascii(name)) {
    phrase = encoded_words(name);
  } else if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    phrase = name;
  } else if (name.find_first_of("()<>[]:;@\\,.\"") != std::string_view::npos) {
    // Unquoted, a comma would split the name into two addresses.
    phrase = "\"";
    for (const char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    phrase = name;
  }
  return phrase + " <" + std::string(address) + ">";
}

std::string subject_value(std::string_view subject) {
  refuse_controls(subject, "subject");
  // "=?" in plain text would be taken for the start of an encoded-word.
  if (is_ascii(subject) && std::string_view("Subject: ").size() + subject.size() <= kRecommendedLine &&
      subject.find("=?") == std::string_view::npos) {
    return std::string(subject);
  }
  return encoded_words(subject);
}

bool is_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// A dot-atom: what both halves of a Message-ID must be to need no quoting.
bool is_dot_atom(std::string_view text) {
  return !text.empty() && text.front() != '.' && text.back() != '.' && text.find("..") == std::string_view::npos &&
         std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || is_atext(c); });
}

std::string two_digits(unsigned value) { return {static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)}; }

// RFC 5322 date-time in UTC, e.g. "Tue, 01 Jul 2025 09:05:00 +0000"; day and month names are
// fixed English, whatever the process locale.
std::string rfc5322_date(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto second = floor<seconds>(when);
  const auto day = floor<days>(second);
  const year_month_day date{day};
  const hh_mm_ss time{second - day};
  std::string text(kDays[weekday{day}.c_encoding()]);
  text += ", " + two_digits(static_cast<unsigned>(date.day())) + " " + std::string(kMonths[static_cast<unsigned>(date.month()) - 1]) +
          " " + std::to_string(static_cast<int>(date.year())) + " ";
  text += two_digits(static_cast<unsigned>(time.hours().count())) + ":" + two_digits(static_cast<unsigned>(time.minutes().count())) +
          ":" + two_digits(static_cast<unsigned>(time.seconds().count())) + " +0000";
  return text;
}

// Text in canonical form (CRLF line ends, as RFC 2046 wants text/plain), base64 in 76-character lines.
std::string base64_body(std::string_view text) {
  std::string canonical;
  canonical.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      canonical += kCrlf;
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      canonical += kCrlf;
    } else {
      canonical += text[i];
    }
  }
  const std::string encoded = base64(canonical);
  std::string body;
  body.reserve(encoded.size() + encoded.size() / kBase64Line * 2 + 2);
  for (std::size_t at = 0; at < encoded.size(); at += kBase64Line) {
    body.append(encoded, at, kBase64Line);
    body += kCrlf;
  }
  return body;
}

}  // namespace

std::string envelope_address(std::string_view mailbox) { return std::string(parse_mailbox(mailbox, "address").address); }

std::string format_email(const EmailParts& parts) {
  const std::string from = mailbox(parts.from, "from");
  const std::string to = mailbox(parts.to, "to");
  const std::string subject = subject_value(parts.subject);
  if (!is_dot_atom(parts.idempotency_key) || !is_dot_atom(parts.message_id_domain)) {
    throw std::invalid_argument("the idempotency key and domain cannot form a Message-ID");
  }
  std::string message;
  const auto header = [&](std::string_view name, std::string_view value) {
    message.append(name).append(": ").append(value).append(kCrlf);
  };
  header("Date", rfc5322_date(parts.date));
  header("From", from);
  header("To", to);
  header("Subject", subject);
  header("Message-ID", "<" + parts.idempotency_key + "@" + parts.message_id_domain + ">");
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=utf-8");
  header("Content-Transfer-Encoding", "base64");
  message += kCrlf;
  message += base64_body(parts.text);
  return message;
}

}  // namespace pact::notification
