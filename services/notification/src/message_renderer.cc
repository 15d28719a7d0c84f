#include "message_renderer.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "message_plan.h"

namespace pact::notification {
namespace {

using notification::v1::Channel;

// Left where a section rendered nothing, so that tidy() can drop a line that held only that.
constexpr char kSkippedSection = '\x01';

// Facts come from events and the directory: no control character may reach a mail header, an SMS
// or the section marker.
std::string without_controls(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return out;
}

// "2026-11-28T21:00:00Z" -> "2026-11-28 21:00 UTC": short enough for an SMS, still unambiguous.
std::string human_time(std::string_view rfc3339) {
  if (rfc3339.size() >= 17 && rfc3339[10] == 'T' && rfc3339[13] == ':' && rfc3339.back() == 'Z') {
    return std::string(rfc3339.substr(0, 10)) + " " + std::string(rfc3339.substr(11, 5)) + " UTC";
  }
  return without_controls(rfc3339);
}

bool is_set(const MessageFacts& facts, const std::string& name) {
  const auto found = facts.find(name);
  return found != facts.end() && !found->second.empty() && found->second != "no";
}

// Fills templates of one language for one message; collects the footnotes of the terms it showed.
class Filler {
 public:
  Filler(const MessageTemplates& templates, const LanguageTemplates& language, const MessageFacts& facts)
      : templates_(templates), language_(language), facts_(facts) {}

  std::string fill(const CompiledTemplate& pieces) {
    std::string out;
    append(pieces, out);
    return tidy(out);
  }

  // Footnotes shown since the last call, one per line.
  std::string take_footnotes() {
    std::string out;
    for (const std::string& footnote : footnotes_) out += (out.empty() ? "" : "\n") + footnote;
    footnotes_.clear();
    return out;
  }

 private:
  void append(const CompiledTemplate& pieces, std::string& out) {
    for (const TemplatePiece& piece : pieces) {
      switch (piece.kind) {
        case TemplatePiece::Kind::text:
          out += piece.value;
          break;
        case TemplatePiece::Kind::fact:
          out += shown(piece.value);
          break;
        case TemplatePiece::Kind::section:
          if (is_set(facts_, piece.value)) {
            append(piece.children, out);
          } else {
            out += kSkippedSection;
          }
          break;
      }
    }
  }

  std::string shown(const std::string& name) {
    const auto found = facts_.find(name);
    if (found == facts_.end() || found->second.empty()) return "";
    const FactDefinition* fact = find_fact(name);
    if (fact == nullptr) return without_controls(found->second);
    switch (fact->format) {
      case FactFormat::text:
      case FactFormat::number:
        return without_controls(found->second);
      case FactFormat::time:
        return human_time(found->second);
      case FactFormat::term:
        return words(fact->term_group, found->second);
      case FactFormat::text_list:
        return joined(found->second, [](std::string_view item) { return without_controls(item); });
      case FactFormat::term_list:
        return joined(found->second, [&](std::string_view item) { return words(fact->term_group, item); });
    }
    return "";
  }

  // "a,b" -> "A, B" with each item shown by `show`.
  template <typename Show>
  static std::string joined(std::string_view list, Show show) {
    std::string out;
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      const std::string_view item = list.substr(0, comma);
      if (!item.empty()) out += (out.empty() ? "" : ", ") + show(item);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return out;
  }

  std::string words(std::string_view group, std::string_view value) {
    const Term* term = templates_.term(language_, group, value);
    // A value newer than the templates: its name says more than nothing.
    if (term == nullptr) return without_controls(value);
    if (!term->footnote.empty() && std::find(footnotes_.begin(), footnotes_.end(), term->footnote) == footnotes_.end()) {
      footnotes_.push_back(term->footnote);
    }
    return term->text;
  }

  // Drops the lines that held nothing but sections that rendered nothing, runs of blank lines
  // that leaves, and trailing space.
  static std::string tidy(const std::string& text) {
    std::string out;
    bool previous_blank = true;  // no blank line at the top either
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      start = end + 1;
      const bool skipped = line.find(kSkippedSection) != std::string::npos;
      line.erase(std::remove(line.begin(), line.end(), kSkippedSection), line.end());
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
      const bool blank = line.find_first_not_of(" \t") == std::string::npos;
      if (blank && (skipped || previous_blank)) continue;
      out += line;
      out += '\n';
      previous_blank = blank;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }

  const MessageTemplates& templates_;
  const LanguageTemplates& language_;
  const MessageFacts& facts_;
  std::vector<std::string> footnotes_;
};

MessageFacts with_delivery_facts(const PlannedMessage& message, const DeliveryFacts& delivery) {
  MessageFacts facts = message.facts;
  const auto put = [&facts](const char* name, const std::string& value) {
    if (!value.empty()) facts[name] = value;
  };
  put("delivery_id", delivery.delivery_id);
  put("recipient_name", delivery.recipient_name);
  put("ack_token", delivery.ack_token);
  put("ack_link", delivery.ack_link);
  return facts;
}

struct Written {
  std::string subject;
  std::string text;
};

Written email(Filler& filler, const MessageTemplate& message, const std::string& banner, bool exercise) {
  Written out;
  // The body carries the footnotes of terms the subject shows too.
  out.subject = filler.fill(message.subject);
  if (exercise) out.subject = "[" + banner + "] " + out.subject;
  const std::string body = filler.fill(message.text);
  const std::string footnotes = filler.take_footnotes();
  // The banner opens and closes an exercise message: a forwarded or quoted part still says it.
  out.text = (exercise ? banner + "\n\n" : "") + body + (footnotes.empty() ? "" : "\n\n" + footnotes) +
             (exercise ? "\n\n" + banner : "") + "\n";
  return out;
}

}  // namespace

std::string rendered_language(const MessageTemplates& templates, notification::v1::MessageKind kind,
                              const std::string& language) {
  return templates.for_message(kind, language).language;
}

notification::v1::RenderedMessage render(const MessageTemplates& templates, const PlannedMessage& message,
                                         const DeliveryFacts& delivery, Channel channel, const std::string& language) {
  const LanguageTemplates& written_in = templates.for_message(message.kind, language);
  const auto found = written_in.messages.find(message.kind);
  if (found == written_in.messages.end()) {
    throw std::invalid_argument("no template for message kind " + message_kind_name(message.kind));
  }
  const MessageTemplate& message_template = found->second;
  const MessageFacts facts = with_delivery_facts(message, delivery);
  const std::string& banner = templates.exercise_banner(written_in);
  Filler filler(templates, written_in, facts);

  notification::v1::RenderedMessage rendered;
  switch (channel) {
    case notification::v1::CHANNEL_EMAIL: {
      Written written = email(filler, message_template, banner, delivery.exercise);
      rendered.set_subject(std::move(written.subject));
      rendered.set_body(std::move(written.text));
      rendered.set_content_type("text/plain; charset=utf-8");
      return rendered;
    }
    case notification::v1::CHANNEL_SMS: {
      const std::string text = filler.fill(message_template.sms);
      const std::string footnotes = filler.take_footnotes();
      rendered.set_body((delivery.exercise ? banner + "\n" : "") + text + (footnotes.empty() ? "" : "\n" + footnotes));
      rendered.set_content_type("text/plain; charset=utf-8");
      return rendered;
    }
    case notification::v1::CHANNEL_WEBHOOK: {
      const Written written = email(filler, message_template, banner, delivery.exercise);
      nlohmann::json document = {
          {"specversion", "pact.notification/1"},
          {"type", message_kind_name(message.kind)},
          {"delivery_id", delivery.delivery_id},
          {"event_type", message.facts.contains("event_type") ? message.facts.at("event_type") : ""},
          {"referral_id", message.referral_id},
          {"case_id", message.facts.contains("case_id") ? message.facts.at("case_id") : ""},
          {"reference_code", message.reference_code},
          {"exercise", delivery.exercise},
          // Language-neutral values (enum names, RFC 3339 times) for systems that act on them.
          {"facts", message.facts},
          {"message", {{"language", written_in.language}, {"subject", written.subject}, {"text", written.text}}},
      };
      nlohmann::json acknowledgement = {{"required", message.acknowledgement_required}};
      if (message.acknowledgement_required) {
        acknowledgement["token"] = delivery.ack_token;
        acknowledgement["url"] = delivery.ack_link;
      }
      document["acknowledgement"] = std::move(acknowledgement);
      // Invalid UTF-8 cannot come from protobuf strings or YAML, but a replacement character beats
      // an exception in the delivery path.
      rendered.set_body(document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      rendered.set_content_type("application/json");
      return rendered;
    }
    default:
      break;
  }
  throw std::invalid_argument("render: no channel given");
}

}  // namespace pact::notification
