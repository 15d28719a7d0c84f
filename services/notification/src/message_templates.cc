#include "message_templates.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"
#include "message_plan.h"

namespace pact::notification {
namespace {

using notification::v1::MessageKind;
using FactNames = std::set<std::string, std::less<>>;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string message_kind_names() {
  std::vector<std::string> names;
  for (MessageKind kind : deliverable_message_kinds()) names.push_back(message_kind_name(kind));
  return joined(names);
}

bool is_fact_name_shape(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// The shared data-file reader, plus what template texts need: the line their content starts on.
class Reader : public config::YamlReader {
 public:
  Reader(std::string source, std::string_view content) : config::YamlReader(std::move(source)), content_(content) {}

  // A block scalar's content ("text: |") starts on the line after its indicator; any other
  // scalar's on the line of its mark. Line breaks inside a literal block map 1:1 to file lines.
  int content_line(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    const bool block = mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < content_.size() &&
                       (content_[static_cast<std::size_t>(mark.pos)] == '|' ||
                        content_[static_cast<std::size_t>(mark.pos)] == '>');
    return line(node) + (block ? 1 : 0);
  }

 private:
  std::string_view content_;
};

// Compiles a template text, reporting syntax problems at their own lines.
CompiledTemplate compile(Reader& reader, std::string_view text, int first_line, const std::string& where) {
  struct Open {
    std::string name;
    int line;
    CompiledTemplate pieces;
  };
  std::vector<Open> open{{"", first_line, {}}};
  int line = first_line;
  std::size_t pos = 0;
  const auto lines_in = [&](std::size_t from, std::size_t to) {
    return static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                                       text.begin() + static_cast<std::ptrdiff_t>(to), '\n'));
  };
  while (pos < text.size()) {
    const std::size_t start = text.find("{{", pos);
    const std::size_t literal_end = start == std::string_view::npos ? text.size() : start;
    if (literal_end > pos) {
      open.back().pieces.push_back({TemplatePiece::Kind::text, std::string(text.substr(pos, literal_end - pos)), line, {}});
      line += lines_in(pos, literal_end);
    }
    if (start == std::string_view::npos) break;
    const std::size_t end = text.find("}}", start + 2);
    if (end == std::string_view::npos) {
      reader.problem_at(line, where + ": '{{' without a closing '}}'");
      break;
    }
    const std::string tag(text.substr(start + 2, end - start - 2));
    const int tag_line = line;
    line += lines_in(start, end);
    pos = end + 2;
    const char sigil = tag.empty() ? '\0' : tag.front();
    const std::string name = (sigil == '#' || sigil == '/') ? tag.substr(1) : tag;
    if (!is_fact_name_shape(name)) {
      reader.problem_at(tag_line, where + ": '{{" + tag + "}}' is not a placeholder (write {{name}}, or " +
                                      "{{#name}}…{{/name}} for a section; lower case, no spaces)");
      continue;
    }
    if (sigil == '#') {
      open.push_back({name, tag_line, {}});
    } else if (sigil == '/') {
      if (open.size() == 1 || open.back().name != name) {
        reader.problem_at(tag_line, where + ": '{{/" + name + "}}' closes no open '{{#" + name + "}}'");
        continue;
      }
      Open section = std::move(open.back());
      open.pop_back();
      open.back().pieces.push_back(
          {TemplatePiece::Kind::section, section.name, section.line, std::move(section.pieces)});
    } else {
      open.back().pieces.push_back({TemplatePiece::Kind::fact, name, tag_line, {}});
    }
  }
  while (open.size() > 1) {
    reader.problem_at(open.back().line, where + ": '{{#" + open.back().name + "}}' is never closed with '{{/" +
                                            open.back().name + "}}'");
    open.pop_back();
  }
  return std::move(open.front().pieces);
}

std::string known_fact_names() {
  std::vector<std::string> names;
  for (const FactDefinition& fact : fact_definitions()) names.emplace_back(fact.name);
  return joined(names);
}

// Every placeholder must be a fact; one that not every message of the kind carries must sit inside
// a section on it, so that no message says "by ." when the fact is missing.
void check_facts(Reader& reader, const CompiledTemplate& pieces, MessageKind kind, const FactNames& guarded,
                 const std::string& where) {
  for (const TemplatePiece& piece : pieces) {
    if (piece.kind == TemplatePiece::Kind::text) continue;
    const std::string shown = piece.kind == TemplatePiece::Kind::section ? "{{#" + piece.value + "}}"
                                                                         : "{{" + piece.value + "}}";
    if (find_fact(piece.value) == nullptr) {
      reader.problem_at(piece.line, where + ": unknown placeholder '" + shown + "' (known facts: " +
                                        known_fact_names() + ")");
      continue;
    }
    if (piece.kind == TemplatePiece::Kind::section) {
      FactNames inner = guarded;
      inner.insert(piece.value);
      check_facts(reader, piece.children, kind, inner, where);
    } else if (!facts_always_present(kind).contains(piece.value) && !guarded.contains(piece.value)) {
      reader.problem_at(piece.line, where + ": '" + shown + "' is not in every " + message_kind_name(kind) +
                                        " message; put it inside {{#" + piece.value + "}}…{{/" + piece.value + "}}");
    }
  }
}

bool shows_reference_code(const CompiledTemplate& pieces) {
  return std::any_of(pieces.begin(), pieces.end(), [](const TemplatePiece& piece) {
    return piece.kind == TemplatePiece::Kind::fact && piece.value == "reference_code";
  });
}

std::optional<MessageKind> message_kind_named(std::string_view name) {
  for (MessageKind kind : deliverable_message_kinds()) {
    if (message_kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<CompiledTemplate> message_part(Reader& reader, const YAML::Node& message, const char* part,
                                             MessageKind kind, const std::string& where) {
  const std::string part_where = where + "." + part;
  auto text = reader.scalar(message, part, where);
  if (!text) return std::nullopt;
  const YAML::Node node = message[part];
  if (std::string_view(part) == "subject" && text->find('\n') != std::string::npos) {
    reader.problem(node, part_where + ": a subject is one line");
  }
  CompiledTemplate compiled = compile(reader, *text, reader.content_line(node), part_where);
  check_facts(reader, compiled, kind, {}, part_where);
  if (!shows_reference_code(compiled)) {
    reader.problem(node, part_where + ": must show {{reference_code}} (outside any section), so that the "
                                      "recipient can quote it");
  }
  return compiled;
}

void parse_messages(Reader& reader, const YAML::Node& messages, LanguageTemplates& out) {
  if (!messages.IsMap()) {
    reader.problem(messages, "'messages' must map message kinds (" + message_kind_names() + ") to templates");
    return;
  }
  for (const auto& entry : messages) {
    const std::string key = entry.first.as<std::string>();
    const auto kind = message_kind_named(key);
    if (!kind) {
      reader.problem(entry.first, "messages: unknown message kind '" + key + "' (expected one of: " +
                                      message_kind_names() + ")");
      continue;
    }
    const std::string where = "messages." + key;
    if (out.messages.contains(*kind)) {
      reader.problem(entry.first, where + ": defined twice");
      continue;
    }
    const YAML::Node& message = entry.second;
    if (!message.IsMap()) {
      reader.problem(message, where + ": expected a map with subject, text and sms");
      continue;
    }
    reader.only_keys(message, {"subject", "text", "sms"}, where);
    auto subject = message_part(reader, message, "subject", *kind, where);
    auto text = message_part(reader, message, "text", *kind, where);
    auto sms = message_part(reader, message, "sms", *kind, where);
    if (subject && text && sms) {
      out.messages.emplace(*kind, MessageTemplate{std::move(*subject), std::move(*text), std::move(*sms),
                                                  reader.content_line(message["sms"])});
    }
  }
}

void parse_terms(Reader& reader, const YAML::Node& terms, LanguageTemplates& out) {
  if (!terms.IsMap()) {
    reader.problem(terms, "'terms' must map term groups to {value: words}");
    return;
  }
  for (const auto& group_entry : terms) {
    const std::string group = group_entry.first.as<std::string>();
    const std::vector<std::string> values = term_group_values(group);
    if (values.empty()) {
      reader.problem(group_entry.first, "terms: unknown term group '" + group + "' (expected one of: " +
                                            joined(term_group_names()) + ")");
      continue;
    }
    if (!group_entry.second.IsMap()) {
      reader.problem(group_entry.second, "terms." + group + ": expected a map {value: \"words\"}");
      continue;
    }
    auto& words = out.terms[group];
    for (const auto& entry : group_entry.second) {
      const std::string value = entry.first.as<std::string>();
      const std::string where = "terms." + group + "." + value;
      if (std::find(values.begin(), values.end(), value) == values.end()) {
        reader.problem(entry.first, "terms." + group + ": unknown value '" + value + "' (expected one of: " +
                                        joined(values) + ")");
        continue;
      }
      Term term;
      if (entry.second.IsMap()) {
        reader.only_keys(entry.second, {"text", "footnote"}, where);
        term.text = reader.scalar(entry.second, "text", where).value_or("");
        term.footnote = reader.scalar(entry.second, "footnote", where, false).value_or("");
      } else if (entry.second.IsScalar() && !entry.second.Scalar().empty()) {
        term.text = entry.second.Scalar();
      } else {
        reader.problem(entry.second, where + ": expected words, or {text: …, footnote: …}");
        continue;
      }
      if (!words.emplace(value, std::move(term)).second) reader.problem(entry.first, where + ": defined twice");
    }
  }
}

// English is what every other language falls back to, so it must be complete.
void check_english_complete(Reader& reader, const YAML::Node& root, const LanguageTemplates& english) {
  const YAML::Node messages = root["messages"];
  for (MessageKind kind : deliverable_message_kinds()) {
    if (!english.messages.contains(kind) && !(messages && messages.IsMap() && messages[message_kind_name(kind)])) {
      reader.problem(messages ? messages : root, "messages: English must define '" + message_kind_name(kind) + "'");
    }
  }
  if (english.exercise_banner.empty() && !root["exercise_banner"]) {
    reader.problem(root, "English must define 'exercise_banner'");
  }
  const YAML::Node terms = root["terms"];
  for (const std::string& group : term_group_names()) {
    const auto found = english.terms.find(group);
    for (const std::string& value : term_group_values(group)) {
      if (found == english.terms.end() || !found->second.contains(value)) {
        const YAML::Node at = terms && terms.IsMap() && terms[group] ? terms[group] : (terms ? terms : root);
        reader.problem(at, "terms." + group + ": English must define '" + value + "'");
      }
    }
  }
}

// ---- SMS length estimate (needs the English fallbacks, so it runs across files) ----

struct TermWidths {
  std::size_t longest_words = 0;
  std::size_t longest_footnote = 0;
};

TermWidths term_widths(const MessageTemplates& templates, const LanguageTemplates& language, std::string_view group) {
  TermWidths widths;
  for (const std::string& value : term_group_values(group)) {
    if (const Term* term = templates.term(language, group, value)) {
      widths.longest_words = std::max(widths.longest_words, character_count(term->text));
      widths.longest_footnote = std::max(widths.longest_footnote, character_count(term->footnote));
    }
  }
  return widths;
}

// The longest a template can render: every section shown, every value at its longest, and the
// footnotes of the term groups it shows.
std::size_t longest_rendering(const MessageTemplates& templates, const LanguageTemplates& language,
                              const CompiledTemplate& pieces, std::map<std::string, std::size_t>& footnotes) {
  std::size_t total = 0;
  for (const TemplatePiece& piece : pieces) {
    switch (piece.kind) {
      case TemplatePiece::Kind::text:
        total += character_count(piece.value);
        break;
      case TemplatePiece::Kind::section:
        total += longest_rendering(templates, language, piece.children, footnotes);
        break;
      case TemplatePiece::Kind::fact: {
        const FactDefinition* fact = find_fact(piece.value);
        if (fact == nullptr) break;
        if (fact->format == FactFormat::term || fact->format == FactFormat::term_list) {
          const TermWidths widths = term_widths(templates, language, fact->term_group);
          // A list shows a few values at most (a person's needs), joined by ", ".
          total += fact->format == FactFormat::term ? widths.longest_words : 3 * (widths.longest_words + 2);
          if (widths.longest_footnote > 0) footnotes[std::string(fact->term_group)] = widths.longest_footnote;
        } else {
          total += fact->max_width;
        }
        break;
      }
    }
  }
  return total;
}

void check_sms_lengths(const MessageTemplates& templates, std::vector<std::string>& problems) {
  for (const LanguageTemplates& language : templates.languages()) {
    for (const auto& [kind, message] : language.messages) {
      std::map<std::string, std::size_t> footnotes;
      std::size_t length = longest_rendering(templates, language, message.sms, footnotes);
      length += character_count(templates.exercise_banner(language)) + 1;  // the banner's own line
      for (const auto& [group, width] : footnotes) length += width + 1;
      if (length > kSmsCharacterLimit) {
        problems.push_back(language.source + ":" + std::to_string(message.sms_line) + ": messages." +
                           message_kind_name(kind) + ".sms: may be " + std::to_string(length) +
                           " characters long once filled in (limit " + std::to_string(kSmsCharacterLimit) +
                           ", counting the exercise banner, the longest values and term footnotes); shorten it");
      }
    }
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MessageTemplatesError({path.string() + ":1: cannot read the file"});
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

MessageTemplatesError::MessageTemplatesError(std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string all;
        for (const auto& problem : problems) all += (all.empty() ? "" : "\n") + problem;
        return all;
      }()),
      problems_(std::move(problems)) {}

MessageTemplates::MessageTemplates(std::vector<LanguageTemplates> languages) : languages_(std::move(languages)) {
  const auto english = std::find_if(languages_.begin(), languages_.end(),
                                    [](const LanguageTemplates& language) { return lower(language.language) == "en"; });
  if (english == languages_.end()) throw std::invalid_argument("message templates need English ('en')");
  english_ = static_cast<std::size_t>(english - languages_.begin());
}

const LanguageTemplates* MessageTemplates::find(std::string_view language) const {
  const std::string wanted = lower(language);
  for (const LanguageTemplates& candidate : languages_) {
    if (lower(candidate.language) == wanted) return &candidate;
  }
  return nullptr;
}

const LanguageTemplates& MessageTemplates::for_message(MessageKind kind, std::string_view requested) const {
  const auto serves = [kind](const LanguageTemplates* language) {
    return language != nullptr && language->messages.contains(kind);
  };
  // The tag, then the tag without its last subtags.
  std::string tag = lower(requested);
  while (!tag.empty()) {
    if (const LanguageTemplates* exact = find(tag); serves(exact)) return *exact;
    const std::size_t dash = tag.rfind('-');
    tag = dash == std::string::npos ? "" : tag.substr(0, dash);
  }
  // Another variant of the same language: a reader of "sr" (Cyrillic) reads "sr-Latn" too.
  const std::string primary = lower(requested.substr(0, requested.find('-')));
  for (const LanguageTemplates& candidate : languages_) {
    const std::string candidate_primary = lower(std::string_view(candidate.language).substr(0, candidate.language.find('-')));
    if (!primary.empty() && candidate_primary == primary && serves(&candidate)) return candidate;
  }
  return english();
}

const Term* MessageTemplates::term(const LanguageTemplates& language, std::string_view group,
                                   std::string_view value) const {
  for (const LanguageTemplates* source : {&language, &english()}) {
    if (auto words = source->terms.find(group); words != source->terms.end()) {
      if (auto found = words->second.find(value); found != words->second.end()) return &found->second;
    }
  }
  return nullptr;
}

const std::string& MessageTemplates::exercise_banner(const LanguageTemplates& language) const {
  return language.exercise_banner.empty() ? english().exercise_banner : language.exercise_banner;
}

LanguageTemplates parse_language_templates(std::string_view yaml, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw MessageTemplatesError({source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg});
  }
  if (!root.IsMap()) {
    throw MessageTemplatesError({source_name + ":1: a template file is a map (see reference/notification/README.md)"});
  }
  Reader reader(source_name, yaml);
  LanguageTemplates out;
  out.source = source_name;
  reader.only_keys(root, {"language", "version", "reviewed", "exercise_banner", "messages", "terms"}, "file");
  out.language = reader.scalar(root, "language", "file").value_or("");
  if (!out.language.empty() && !config::is_language_tag(out.language)) {
    reader.problem(root["language"], "'" + out.language + "' is not a BCP 47 language tag (e.g. en, sr-Latn, sq)");
  }
  out.version = reader.scalar(root, "version", "file").value_or("");
  if (root["reviewed"]) {
    out.reviewed = reader.boolean(root["reviewed"], "'reviewed'").value_or(false);
  } else {
    reader.problem(root, "missing 'reviewed' (false until a native speaker has checked the texts)");
  }
  out.exercise_banner = reader.scalar(root, "exercise_banner", "file", false).value_or("");
  if (out.exercise_banner.find('\n') != std::string::npos) {
    reader.problem(root["exercise_banner"], "'exercise_banner' is one line");
  }
  if (root["messages"]) {
    parse_messages(reader, root["messages"], out);
  } else {
    reader.problem(root, "missing 'messages'");
  }
  if (root["terms"]) parse_terms(reader, root["terms"], out);
  if (lower(out.language) == "en") check_english_complete(reader, root, out);
  if (!reader.ok()) throw MessageTemplatesError(std::move(reader.problems()));
  return out;
}

MessageTemplates load_message_templates(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    throw MessageTemplatesError({dir + ":1: not a directory of message template files"});
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::vector<std::string> problems;
  std::vector<LanguageTemplates> languages;
  std::map<std::string, std::string> file_of_language;
  for (const auto& file : files) {
    try {
      LanguageTemplates language = parse_language_templates(read_file(file), file.string());
      const auto [first, fresh] = file_of_language.emplace(lower(language.language), file.string());
      if (!fresh) {
        problems.push_back(file.string() + ":1: language '" + language.language + "' is also defined in " +
                           first->second);
        continue;
      }
      languages.push_back(std::move(language));
    } catch (const MessageTemplatesError& e) {
      problems.insert(problems.end(), e.problems().begin(), e.problems().end());
    }
  }
  // Without other problems: a broken en.yaml has already said what is wrong with it.
  if (!file_of_language.contains("en") && problems.empty()) {
    problems.push_back((std::filesystem::path(dir) / "en.yaml").string() +
                       ":1: no English templates: a file with 'language: en' is required");
  }
  if (!problems.empty()) throw MessageTemplatesError(std::move(problems));
  MessageTemplates templates(std::move(languages));
  check_sms_lengths(templates, problems);
  if (!problems.empty()) throw MessageTemplatesError(std::move(problems));
  return templates;
}

std::size_t character_count(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace pact::notification
