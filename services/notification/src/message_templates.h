#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pact/notification/v1/notification.pb.h"

namespace pact::notification {

// An SMS may be at most this many characters (Unicode code points) once filled in: five segments
// of Unicode text, which Cyrillic and Albanian letters need. The loader refuses an SMS template
// that could render longer with the longest realistic values.
inline constexpr std::size_t kSmsCharacterLimit = 320;

// A template compiled from its text (syntax: reference/notification/README.md):
//   {{name}}               the value of fact `name`
//   {{#name}}…{{/name}}    the enclosed text only when fact `name` is set (and not "no")
struct TemplatePiece {
  enum class Kind { text, fact, section };
  Kind kind = Kind::text;
  std::string value;                    // the literal text, or the fact's name
  int line = 0;                         // where it starts in its file, for problems
  std::vector<TemplatePiece> children;  // a section's content
};
using CompiledTemplate = std::vector<TemplatePiece>;

// One message kind in one language.
struct MessageTemplate {
  CompiledTemplate subject;  // e-mail subject, one line
  CompiledTemplate text;     // e-mail body and the webhook's human-readable text
  CompiledTemplate sms;
  int sms_line = 0;
};

// The display words for an enum value. A footnote is printed once under any text that shows the
// term (the Kosovo* designation must accompany the name).
struct Term {
  std::string text;
  std::string footnote;
};

// One template file: the messages and terms of one language.
struct LanguageTemplates {
  std::string source;    // the file, for problems
  std::string language;  // BCP 47 tag as written ("sr-Latn")
  std::string version;
  bool reviewed = false;  // false: a machine or non-native draft that a native speaker must check
  std::string exercise_banner;  // empty: the English one
  std::map<notification::v1::MessageKind, MessageTemplate> messages;
  std::map<std::string, std::map<std::string, Term, std::less<>>, std::less<>> terms;  // group -> value -> words
};

// Every problem found in template files, one per line ("file:line: problem").
class MessageTemplatesError : public std::runtime_error {
 public:
  explicit MessageTemplatesError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// The loaded templates of every language. English is complete (the loader checks); other languages
// fall back to English per message and per term.
class MessageTemplates {
 public:
  // Throws std::invalid_argument without an English ("en") entry.
  explicit MessageTemplates(std::vector<LanguageTemplates> languages);

  const std::vector<LanguageTemplates>& languages() const { return languages_; }
  const LanguageTemplates& english() const { return languages_[english_]; }
  // The file for exactly this tag (case-insensitive), or nullptr.
  const LanguageTemplates* find(std::string_view language) const;

  // The file whose message of `kind` a reader of `requested` gets: the exact tag, then the tag
  // without its last subtags ("sr-Latn-RS" -> "sr-Latn" -> "sr"), then another variant of the same
  // language ("sr" -> "sr-Latn"), then English.
  const LanguageTemplates& for_message(notification::v1::MessageKind kind, std::string_view requested) const;

  // The words for a term in `language`, else in English; nullptr when neither defines it.
  const Term* term(const LanguageTemplates& language, std::string_view group, std::string_view value) const;
  const std::string& exercise_banner(const LanguageTemplates& language) const;

 private:
  std::vector<LanguageTemplates> languages_;
  std::size_t english_ = 0;
};

// Parses and checks one template file (everything that needs no other file). Throws
// MessageTemplatesError listing every problem with its line.
LanguageTemplates parse_language_templates(std::string_view yaml, const std::string& source_name);

// Every *.yaml file of `dir`, checked together (English present and complete, no language twice,
// SMS lengths with English fallbacks). Throws MessageTemplatesError (a std::runtime_error) listing
// every problem of every file as "file:line: problem".
MessageTemplates load_message_templates(const std::string& dir);

// Number of Unicode code points of UTF-8 text: what SMS limits count.
std::size_t character_count(std::string_view utf8);

}  // namespace pact::notification
