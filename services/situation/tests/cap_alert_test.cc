#include "cap_alert.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace pact::situation {
namespace {

using namespace std::chrono_literals;
using std::chrono::March;
using std::chrono::sys_days;

// 2025-03-14 09:30:05.250 UTC: the fraction is there to prove it is dropped.
const std::chrono::system_clock::time_point kAlertSent = sys_days{std::chrono::year{2025} / March / 14} + 9h + 30min + 5s + 250ms;

// A capacity alert as the situation service raises it: no person, no address, no coordinates.
CapMessage capacity_alert() {
  CapMessage message;
  message.identifier = "pact-mk-capacity-exhausted-svc-mk-shelter-1-0001";
  message.sender = "pact-hub-mk@pact.example";
  message.sent = kAlertSent;
  message.status = CapStatus::Exercise;
  message.msg_type = CapMsgType::Alert;
  message.restriction = "EOC duty desks and national coordinators of the PaCT hubs only";
  message.note = "Regional surge exercise, day 1";
  CapInfo& info = message.info;
  info.language = "en";
  info.categories = {CapCategory::Rescue, CapCategory::Health};
  info.event = "Shelter capacity exhausted";
  info.response_types = {CapResponseType::Prepare, CapResponseType::Monitor};
  info.urgency = CapUrgency::Immediate;
  info.severity = CapSeverity::Severe;
  info.certainty = CapCertainty::Observed;
  info.effective = kAlertSent;
  info.expires = kAlertSent + 6h;
  info.sender_name = "PaCT hub MK, EOC duty desk";
  info.headline = "Shelter capacity exhausted at one reception site";
  info.description = "All places of service svc-mk-shelter-1 are taken.\nNew referrals are re-routed.";
  info.instruction = "Open overflow capacity or confirm re-routing to neighbouring sites.";
  info.web = "https://pact.example/eoc/alerts/capacity-exhausted";
  info.parameters = {{"pact:condition", "capacity-exhausted/svc-mk-shelter-1"}, {"pact:capacity-free", "0"}};
  info.areas = {CapArea{"North Macedonia, south-east planning region", {{"ISO3166-2", "MK-18"}}}};
  return message;
}

CapReference reference_to(const CapMessage& message) { return {message.sender, message.identifier, message.sent}; }

CapMessage capacity_update(const CapMessage& alert) {
  CapMessage update = alert;
  update.identifier = "pact-mk-capacity-exhausted-svc-mk-shelter-1-0002";
  update.sent = kAlertSent + 20min;
  update.msg_type = CapMsgType::Update;
  update.references = {reference_to(alert)};
  update.info.severity = CapSeverity::Extreme;
  update.info.headline = "Shelter capacity still exhausted; 14 referrals waiting";
  return update;
}

CapMessage capacity_cancel(const CapMessage& alert, const CapMessage& update) {
  CapMessage cancel = update;
  cancel.identifier = "pact-mk-capacity-exhausted-svc-mk-shelter-1-0003";
  cancel.sent = kAlertSent + 2h;
  cancel.msg_type = CapMsgType::Cancel;
  cancel.references = {reference_to(alert), reference_to(update)};
  cancel.info.response_types = {CapResponseType::AllClear};
  cancel.info.urgency = CapUrgency::Past;
  cancel.info.severity = CapSeverity::Minor;
  cancel.info.headline = "Shelter capacity available again";
  return cancel;
}

std::string join(const std::vector<std::string>& problems) {
  std::string out;
  for (const std::string& problem : problems) out += "\n  " + problem;
  return out;
}

bool has_problem(const std::vector<std::string>& problems, std::string_view part) {
  for (const std::string& problem : problems) {
    if (problem.find(part) != std::string::npos) return true;
  }
  return false;
}

void replace_once(std::string& text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "test bug: '" << from << "' not in the document";
  text.replace(at, from.size(), to);
}

// A hand-written valid CAP 1.2 alert the defect tests break one way at a time.
constexpr std::string_view kValidDocument = R"(<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>pact-rs-escalations-0001</identifier>
  <sender>pact-hub-rs@pact.example</sender>
  <sent>2025-03-14T10:00:00+01:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Restricted</scope>
  <restriction>EOC duty desks only</restriction>
  <info>
    <category>Rescue</category>
    <event>Open escalations above threshold</event>
    <urgency>Expected</urgency>
    <severity>Moderate</severity>
    <certainty>Observed</certainty>
    <area>
      <areaDesc>Serbia, Belgrade region</areaDesc>
    </area>
  </info>
</alert>
)";

std::vector<std::string> check_with(std::string_view from, std::string_view to) {
  std::string document(kValidDocument);
  replace_once(document, from, to);
  return check_cap_structure(document);
}

TEST(CapAlert, RendersAlertUpdateAndCancelThatPassTheCheck) {
  const CapMessage alert = capacity_alert();
  const CapMessage update = capacity_update(alert);
  const CapMessage cancel = capacity_cancel(alert, update);
  for (const CapMessage* message : {&alert, &update, &cancel}) {
    const std::string xml = render_cap_xml(*message);
    EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n")) << xml;
    const std::vector<std::string> problems = check_cap_structure(xml);
    EXPECT_TRUE(problems.empty()) << to_string(message->msg_type) << ":" << join(problems) << "\n" << xml;
    EXPECT_NE(xml.find("<scope>Restricted</scope>\n  <restriction>EOC duty desks"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<msgType>" + std::string(to_string(message->msg_type)) + "</msgType>"), std::string::npos);
  }

  const std::string update_xml = render_cap_xml(update);
  EXPECT_NE(update_xml.find("<references>pact-hub-mk@pact.example,pact-mk-capacity-exhausted-svc-mk-shelter-1-0001,"
                            "2025-03-14T09:30:05-00:00</references>"),
            std::string::npos)
      << update_xml;
  const std::string cancel_xml = render_cap_xml(cancel);
  EXPECT_NE(cancel_xml.find("<references>pact-hub-mk@pact.example,pact-mk-capacity-exhausted-svc-mk-shelter-1-0001,2025-03-14T09:30:05-00:00 "
                            "pact-hub-mk@pact.example,pact-mk-capacity-exhausted-svc-mk-shelter-1-0002,2025-03-14T09:50:05-00:00</references>"),
            std::string::npos)
      << cancel_xml;
  EXPECT_NE(cancel_xml.find("<responseType>AllClear</responseType>"), std::string::npos);
}

TEST(CapAlert, ElementsFollowTheXsdOrder) {
  CapMessage message = capacity_update(capacity_alert());
  message.info.onset = kAlertSent;
  const std::string xml = render_cap_xml(message);
  // Every element the renderer can write, in the order of the CAP 1.2 XSD's sequences.
  const std::vector<std::string_view> order = {
      "<alert ", "<identifier>", "<sender>", "<sent>", "<status>", "<msgType>", "<scope>", "<restriction>", "<note>",
      "<references>", "<info>", "<language>", "<category>", "<event>", "<responseType>", "<urgency>", "<severity>",
      "<certainty>", "<effective>", "<onset>", "<expires>", "<senderName>", "<headline>", "<description>",
      "<instruction>", "<web>", "<parameter>", "<valueName>", "<value>", "<area>", "<areaDesc>", "<geocode>", "</info>",
      "</alert>"};
  std::size_t previous = 0;
  for (const std::string_view tag : order) {
    const std::size_t at = xml.find(tag);
    ASSERT_NE(at, std::string::npos) << tag << " missing:\n" << xml;
    EXPECT_GE(at, previous) << tag << " is out of order:\n" << xml;
    previous = at;
  }
  // Empty optional texts are left out rather than written as empty elements.
  message.info.headline.clear();
  message.note.reset();
  const std::string shorter = render_cap_xml(message);
  EXPECT_EQ(shorter.find("<headline>"), std::string::npos);
  EXPECT_EQ(shorter.find("<note>"), std::string::npos);
  EXPECT_TRUE(check_cap_structure(shorter).empty()) << join(check_cap_structure(shorter));
}

TEST(CapAlert, TimesAreWholeSecondsWithANumericOffset) {
  EXPECT_EQ(format_cap_time(kAlertSent), "2025-03-14T09:30:05-00:00");
  EXPECT_EQ(format_cap_time(sys_days{std::chrono::year{1999} / 12 / 31} + 23h + 59min + 59s + 999ms), "1999-12-31T23:59:59-00:00");
  EXPECT_EQ(format_cap_time(sys_days{std::chrono::year{2024} / 2 / 29}), "2024-02-29T00:00:00-00:00");
  // Before 1970 the fraction still moves the time back, never forward.
  EXPECT_EQ(format_cap_time(sys_days{std::chrono::year{1969} / 12 / 31} + 23h + 59min + 59s + 500ms), "1969-12-31T23:59:59-00:00");

  const std::string xml = render_cap_xml(capacity_alert());
  EXPECT_NE(xml.find("<sent>2025-03-14T09:30:05-00:00</sent>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<effective>2025-03-14T09:30:05-00:00</effective>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<expires>2025-03-14T15:30:05-00:00</expires>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("Z<"), std::string::npos) << xml;
  EXPECT_EQ(xml.find(".250"), std::string::npos) << xml;
}

TEST(CapAlert, EscapesText) {
  CapMessage message = capacity_alert();
  message.info.event = "Capacity < 5% & falling";
  message.info.description = "Site \"Tabanovce\" reports 'no beds' > 2h; tab\there, line\nthere; Ћирилица ok";
  message.info.parameters = {{"pact:note<&>", "a&b"}};
  message.restriction = "Duty desks & coordinators";
  const std::string xml = render_cap_xml(message);
  EXPECT_NE(xml.find("<event>Capacity &lt; 5% &amp; falling</event>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("Site &quot;Tabanovce&quot; reports &apos;no beds&apos; &gt; 2h; tab\there, line\nthere; Ћирилица ok"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<valueName>pact:note&lt;&amp;&gt;</valueName>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<restriction>Duty desks &amp; coordinators</restriction>"), std::string::npos) << xml;
  EXPECT_TRUE(check_cap_structure(xml).empty()) << join(check_cap_structure(xml));
}

TEST(CapAlert, CheckAcceptsTheValidDocumentAndOtherLegalSpellings) {
  EXPECT_TRUE(check_cap_structure(kValidDocument).empty()) << join(check_cap_structure(kValidDocument));

  // A namespace prefix, comments, CDATA, references, CRLF line ends, no XML declaration.
  const std::string prefixed =
      "<!-- issued by hand -->\r\n<cap:alert xmlns:cap='urn:oasis:names:tc:emergency:cap:1.2'>\r\n"
      "<cap:identifier>id-2</cap:identifier><cap:sender>s@x</cap:sender><cap:sent>2025-03-14T10:00:00-00:00</cap:sent>"
      "<cap:status>Test</cap:status><cap:msgType>Cancel</cap:msgType><cap:scope>Public</cap:scope>"
      "<cap:references>s@x,id-1,2025-03-14T09:00:00-00:00</cap:references>"
      "<cap:info><cap:category>Other</cap:category><cap:event><![CDATA[A & B <ok>]]></cap:event>"
      "<cap:urgency>Past</cap:urgency><cap:severity>Minor</cap:severity><cap:certainty>Unknown</cap:certainty>"
      "<cap:area><cap:areaDesc>x</cap:areaDesc><cap:altitude>-12.5</cap:altitude></cap:area></cap:info>"
      "</cap:alert>\r\n";
  EXPECT_TRUE(check_cap_structure(prefixed).empty()) << join(check_cap_structure(prefixed));

  // An alert without any info block is valid CAP (the XSD has info minOccurs 0).
  std::string no_info(kValidDocument);
  no_info.erase(no_info.find("  <info>"), no_info.find("</alert>") - no_info.find("  <info>"));
  EXPECT_TRUE(check_cap_structure(no_info).empty()) << join(check_cap_structure(no_info)) << no_info;
}

TEST(CapAlert, CheckFindsMissingElements) {
  const auto no_sent = check_with("  <sent>2025-03-14T10:00:00+01:00</sent>\n", "");
  EXPECT_TRUE(has_problem(no_sent, "missing required element <sent> in <alert>")) << join(no_sent);
  const auto no_event = check_with("<event>Open escalations above threshold</event>", "");
  EXPECT_TRUE(has_problem(no_event, "missing required element <event> in <info>")) << join(no_event);
  const auto no_category = check_with("<category>Rescue</category>", "");
  EXPECT_TRUE(has_problem(no_category, "missing required element <category> in <info>")) << join(no_category);
  const auto no_area_desc = check_with("<areaDesc>Serbia, Belgrade region</areaDesc>", "");
  EXPECT_TRUE(has_problem(no_area_desc, "missing required element <areaDesc> in <area>")) << join(no_area_desc);
  const auto empty_event = check_with("<event>Open escalations above threshold</event>", "<event> </event>");
  EXPECT_TRUE(has_problem(empty_event, "<event> is empty")) << join(empty_event);
  // Each problem names its line.
  EXPECT_TRUE(no_event.front().starts_with("line 10: ")) << join(no_event);
}

TEST(CapAlert, CheckFindsValuesOutsideTheEnumerations) {
  const auto status = check_with("<status>Actual</status>", "<status>Real</status>");
  EXPECT_TRUE(has_problem(status, "<status> value 'Real' is not one of CAP 1.2's values (Actual, Exercise, System, Test, Draft)")) << join(status);
  const auto category = check_with("<category>Rescue</category>", "<category>rescue</category>");
  EXPECT_TRUE(has_problem(category, "<category> value 'rescue'")) << join(category);
  const auto padded = check_with("<severity>Moderate</severity>", "<severity> Moderate</severity>");
  EXPECT_TRUE(has_problem(padded, "<severity> value ' Moderate'")) << join(padded);
  const auto certainty = check_with("<certainty>Observed</certainty>", "<certainty>Very Likely</certainty>");
  EXPECT_TRUE(has_problem(certainty, "<certainty> value 'Very Likely'")) << join(certainty);
  const auto language = check_with("<category>Rescue</category>", "<language>en_GB</language><category>Rescue</category>");
  EXPECT_TRUE(has_problem(language, "is not a language tag")) << join(language);
}

TEST(CapAlert, CheckFindsElementsOutOfOrderUnknownOrRepeated) {
  const auto swapped = check_with("<status>Actual</status>\n  <msgType>Alert</msgType>", "<msgType>Alert</msgType>\n  <status>Actual</status>");
  EXPECT_TRUE(has_problem(swapped, "<status> is out of order in <alert>: CAP 1.2 puts it before <msgType>")) << join(swapped);
  const auto info_order = check_with("<urgency>Expected</urgency>\n    <severity>Moderate</severity>",
                                     "<severity>Moderate</severity>\n    <urgency>Expected</urgency>");
  EXPECT_TRUE(has_problem(info_order, "<urgency> is out of order in <info>")) << join(info_order);
  const auto unknown = check_with("<restriction>", "<priority>high</priority>\n  <restriction>");
  EXPECT_TRUE(has_problem(unknown, "unknown element <priority> in <alert>")) << join(unknown);
  const auto twice = check_with("<status>Actual</status>", "<status>Actual</status><status>Test</status>");
  EXPECT_TRUE(has_problem(twice, "<status> appears more than once in <alert>")) << join(twice);
  const auto text_in_info = check_with("<category>Rescue</category>", "stray<category>Rescue</category>");
  EXPECT_TRUE(has_problem(text_in_info, "<info> must contain only elements, not text")) << join(text_in_info);
  const auto element_in_leaf = check_with("<event>Open escalations above threshold</event>", "<event><b>x</b></event>");
  EXPECT_TRUE(has_problem(element_in_leaf, "<event> must contain only text, not elements")) << join(element_in_leaf);
  const auto attribute = check_with("<status>Actual</status>", "<status lang=\"en\">Actual</status>");
  EXPECT_TRUE(has_problem(attribute, "attribute 'lang' on <status>")) << join(attribute);
}

TEST(CapAlert, CheckFindsBadTimes) {
  const auto zulu = check_with("2025-03-14T10:00:00+01:00", "2025-03-14T09:00:00Z");
  EXPECT_TRUE(has_problem(zulu, "<sent> '2025-03-14T09:00:00Z' ends in 'Z'")) << join(zulu);
  const auto fraction = check_with("2025-03-14T10:00:00+01:00", "2025-03-14T10:00:00.5+01:00");
  EXPECT_TRUE(has_problem(fraction, "fractional seconds")) << join(fraction);
  const auto no_offset = check_with("2025-03-14T10:00:00+01:00", "2025-03-14T10:00:00");
  EXPECT_TRUE(has_problem(no_offset, "does not match CAP's form")) << join(no_offset);
  const auto comma = check_with("2025-03-14T10:00:00+01:00", "2025-03-14T10:00:00,01:00");
  EXPECT_TRUE(has_problem(comma, "does not match CAP's form")) << join(comma);
  const auto february = check_with("2025-03-14T10:00:00+01:00", "2025-02-29T10:00:00+01:00");
  EXPECT_TRUE(has_problem(february, "is not a calendar date")) << join(february);
  const auto hour = check_with("2025-03-14T10:00:00+01:00", "2025-03-14T25:00:00+01:00");
  EXPECT_TRUE(has_problem(hour, "is not a time of day")) << join(hour);
  const auto expires = check_with("<area>", "<expires>2025-03-14T12:00:00Z</expires>\n    <area>");
  EXPECT_TRUE(has_problem(expires, "<expires> '2025-03-14T12:00:00Z' ends in 'Z'")) << join(expires);
}

TEST(CapAlert, CheckFindsScopeRestrictionAndReferenceDefects) {
  const auto no_restriction = check_with("  <restriction>EOC duty desks only</restriction>\n", "");
  EXPECT_TRUE(has_problem(no_restriction, "scope is Restricted but <restriction> is missing")) << join(no_restriction);
  const auto empty_restriction = check_with("<restriction>EOC duty desks only</restriction>", "<restriction></restriction>");
  EXPECT_TRUE(has_problem(empty_restriction, "scope is Restricted but <restriction> is missing or empty")) << join(empty_restriction);

  const auto update_without_references = check_with("<msgType>Alert</msgType>", "<msgType>Update</msgType>");
  EXPECT_TRUE(has_problem(update_without_references, "msgType Update without <references>")) << join(update_without_references);

  const std::string_view good_reference =
      "<references>pact-hub-rs@pact.example,pact-rs-escalations-0000,2025-03-14T09:00:00+01:00</references>\n  <info>";
  EXPECT_TRUE(check_with("<info>", good_reference).empty()) << join(check_with("<info>", good_reference));
  const auto two_parts = check_with("<info>", "<references>pact-hub-rs@pact.example,pact-rs-escalations-0000</references>\n  <info>");
  EXPECT_TRUE(has_problem(two_parts, "<references> entry 1 is not a sender,identifier,sent triplet")) << join(two_parts);
  const auto bad_time =
      check_with("<info>", "<references>a@b,id-1,2025-03-14T09:00:00+01:00 a@b,id-2,2025-03-14T09:00:00Z</references>\n  <info>");
  EXPECT_TRUE(has_problem(bad_time, "<references> entry 2: sent '2025-03-14T09:00:00Z' ends in 'Z'")) << join(bad_time);
  const auto empty_identifier = check_with("<info>", "<references>a@b,,2025-03-14T09:00:00+01:00</references>\n  <info>");
  EXPECT_TRUE(has_problem(empty_identifier, "entry 1 has an empty sender or identifier")) << join(empty_identifier);

  const auto spaced_identifier = check_with("<identifier>pact-rs-escalations-0001</identifier>", "<identifier>pact rs 1</identifier>");
  EXPECT_TRUE(has_problem(spaced_identifier, "<identifier> contains a space, comma")) << join(spaced_identifier);
  const auto comma_sender = check_with("<sender>pact-hub-rs@pact.example</sender>", "<sender>hub,rs</sender>");
  EXPECT_TRUE(has_problem(comma_sender, "<sender> contains a space, comma")) << join(comma_sender);
  const auto escaped_amp = check_with("<sender>pact-hub-rs@pact.example</sender>", "<sender>hub&amp;rs</sender>");
  EXPECT_TRUE(has_problem(escaped_amp, "<sender> contains a space, comma, '<' or '&'")) << join(escaped_amp);
}

TEST(CapAlert, CheckFindsWrongNamespaces) {
  const auto cap11 = check_with("urn:oasis:names:tc:emergency:cap:1.2", "urn:oasis:names:tc:emergency:cap:1.1");
  EXPECT_TRUE(has_problem(cap11, "wrong namespace: <alert> is in namespace 'urn:oasis:names:tc:emergency:cap:1.1', CAP 1.2 requires "
                                 "'urn:oasis:names:tc:emergency:cap:1.2'"))
      << join(cap11);
  EXPECT_EQ(cap11.size(), 1U) << "one problem, not one per element:" << join(cap11);
  const auto none = check_with(" xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"", "");
  EXPECT_TRUE(has_problem(none, "wrong namespace: <alert> is in no namespace")) << join(none);
  const auto child = check_with("<status>Actual</status>", "<x:status xmlns:x=\"urn:other\">Actual</x:status>");
  EXPECT_TRUE(has_problem(child, "attribute 'xmlns:x' on <x:status>")) << join(child);
  EXPECT_TRUE(has_problem(child, "namespace prefix 'x' of <x:status> is not declared")) << join(child);
  const auto root_attribute = check_with("<alert ", "<alert version=\"1.2\" ");
  EXPECT_TRUE(has_problem(root_attribute, "attribute 'version' on <alert>")) << join(root_attribute);
  const auto other_root = check_cap_structure("<valueName xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">x</valueName>");
  EXPECT_TRUE(has_problem(other_root, "the root element is <valueName>; a CAP message is an <alert>")) << join(other_root);
}

TEST(CapAlert, CheckRefusesDtdsAndDocumentsThatAreNotXml) {
  const auto dtd = check_with("<alert ", "<!DOCTYPE alert [<!ENTITY x \"boom\">]>\n<alert ");
  ASSERT_EQ(dtd.size(), 1U) << join(dtd);
  EXPECT_TRUE(has_problem(dtd, "line 2: not readable as XML: a DTD (<!DOCTYPE ...>) is not allowed")) << join(dtd);
  const auto entity = check_with("EOC duty desks only", "&x;");
  EXPECT_TRUE(has_problem(entity, "undefined entity &x;")) << join(entity);
  const auto bare_amp = check_with("EOC duty desks only", "desks & coordinators");
  EXPECT_TRUE(has_problem(bare_amp, "'&' must start an entity or character reference")) << join(bare_amp);
  const auto mismatched = check_with("</status>", "</msgType>");
  EXPECT_TRUE(has_problem(mismatched, "end tag </msgType> does not close <status>")) << join(mismatched);
  const auto control = check_with("EOC duty desks only", "EOC\x07");
  EXPECT_TRUE(has_problem(control, "the control character U+0007 is not allowed in XML 1.0")) << join(control);
  const auto c1_control = check_with("EOC duty desks only", "EOC\xC2\x85");
  EXPECT_TRUE(has_problem(c1_control, "<restriction> contains the control character U+0085")) << join(c1_control);
  const auto bad_utf8 = check_with("EOC duty desks only", "EOC\xC3");
  EXPECT_TRUE(has_problem(bad_utf8, "not valid UTF-8")) << join(bad_utf8);
  const auto char_ref = check_with("EOC duty desks only", "EOC&#1;");
  EXPECT_TRUE(has_problem(char_ref, "character reference to U+0001")) << join(char_ref);
  const auto latin1 = check_with("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
  EXPECT_TRUE(has_problem(latin1, "encoding must be UTF-8")) << join(latin1);
  const auto late_declaration = check_cap_structure(std::string("\n") + std::string(kValidDocument));
  EXPECT_TRUE(has_problem(late_declaration, "the XML declaration must be at the very start")) << join(late_declaration);
  const auto unclosed = check_cap_structure(kValidDocument.substr(0, kValidDocument.find("</alert>")));
  EXPECT_TRUE(has_problem(unclosed, "<alert> (line 2) is not closed")) << join(unclosed);
  const auto trailing = check_cap_structure(std::string(kValidDocument) + "<alert/>");
  EXPECT_TRUE(has_problem(trailing, "content after the end of the root element")) << join(trailing);
  EXPECT_FALSE(check_cap_structure("").empty());
  std::string deep = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">";
  for (int i = 0; i < 10000; ++i) deep += "<info>";
  EXPECT_TRUE(has_problem(check_cap_structure(deep), "nested deeper than any CAP document"));
}

// The renderer refuses `mutate`d messages with an invalid_argument whose text contains `expected`.
template <typename Mutate>
void expect_refused(Mutate mutate, std::string_view expected) {
  CapMessage message = capacity_update(capacity_alert());
  mutate(message);
  try {
    const std::string xml = render_cap_xml(message);
    ADD_FAILURE() << "rendered instead of refusing (" << expected << "):\n" << xml;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string_view(error.what()).find(expected), std::string_view::npos) << error.what();
  }
}

TEST(CapAlert, RenderingRefusesBadIdentifiersAndSenders) {
  expect_refused([](CapMessage& m) { m.identifier = "pact 0001"; }, "identifier contains white space; CAP 1.2 forbids spaces, commas");
  expect_refused([](CapMessage& m) { m.identifier = "pact,0001"; }, "identifier contains a comma");
  expect_refused([](CapMessage& m) { m.identifier = "pact<0001"; }, "identifier contains '<'");
  expect_refused([](CapMessage& m) { m.identifier = "pact&0001"; }, "identifier contains '&'");
  expect_refused([](CapMessage& m) { m.identifier.clear(); }, "identifier is empty");
  expect_refused([](CapMessage& m) { m.sender = "hub mk"; }, "sender contains white space");
  expect_refused([](CapMessage& m) { m.sender = "hub\tmk"; }, "sender contains white space");
  expect_refused([](CapMessage& m) { m.references[0].identifier = "a,b"; }, "references[0].identifier contains a comma");
  expect_refused([](CapMessage& m) { m.references[0].sender.clear(); }, "references[0].sender is empty");
  expect_refused([](CapMessage& m) { m.references[0] = {m.sender, m.identifier, m.sent}; }, "references[0] names this message itself");
}

TEST(CapAlert, RenderingRefusesMessagesCapWouldNotAccept) {
  expect_refused([](CapMessage& m) { m.info.event = "  "; }, "info.event is empty");
  expect_refused([](CapMessage& m) { m.info.areas[0].area_desc.clear(); }, "info.areas[0].area_desc is empty");
  expect_refused([](CapMessage& m) { m.info.areas[0].geocodes[0].value_name.clear(); }, "info.areas[0].geocodes[0].value_name is empty");
  expect_refused([](CapMessage& m) { m.info.parameters[1].value_name = "\n"; }, "info.parameters[1].value_name is empty");
  expect_refused([](CapMessage& m) { m.info.categories.clear(); }, "info.categories is empty");
  expect_refused([](CapMessage& m) { m.restriction.clear(); }, "restriction (scope is Restricted) is empty");
  expect_refused([](CapMessage& m) { m.note = ""; }, "note is empty");
  expect_refused([](CapMessage& m) { m.references.clear(); }, "a message of type Update must name the earlier message(s)");
  expect_refused(
      [](CapMessage& m) {
        m.msg_type = CapMsgType::Cancel;
        m.references.clear();
      },
      "a message of type Cancel must name");
  expect_refused([](CapMessage& m) { m.info.language = "en_GB"; }, "info.language is not a language tag");
  expect_refused([](CapMessage& m) { m.info.web = "/eoc/alerts"; }, "info.web is not an absolute URI");
  expect_refused([](CapMessage& m) { m.info.web = "https://pact.example/a b"; }, "info.web contains a character");
  expect_refused([](CapMessage& m) { m.info.headline = "bell\x07"; }, "info.headline contains the control character U+0007");
  expect_refused([](CapMessage& m) { m.info.description = "line\r\nend"; }, "info.description contains the control character U+000D");
  expect_refused([](CapMessage& m) { m.info.instruction = "next\xC2\x85line"; }, "info.instruction contains the control character U+0085");
  expect_refused([](CapMessage& m) { m.info.sender_name = "hub\xC3"; }, "info.sender_name is not valid UTF-8");
  expect_refused([](CapMessage& m) { m.info.parameters[0].value = "\xED\xA0\x80"; }, "info.parameters[0].value is not valid UTF-8");
  // An Alert may go without references.
  CapMessage alert = capacity_alert();
  EXPECT_NO_THROW(render_cap_xml(alert));
}

// --- the official XSD, when the environment names it (deploy/validate/fetch-cap-schema.sh) ---

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct XmllintResult {
  int status = -1;
  std::string output;
};

XmllintResult xmllint_schema(const std::string& schema, std::string_view document, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pact-cap-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / (name + ".xml");
  const std::filesystem::path log = dir / (name + ".log");
  {
    std::ofstream out(file, std::ios::binary);
    out << document;
  }
  // --nonet: the CAP 1.2 schema imports nothing, so validation never needs the network.
  const std::string command = "xmllint --noout --nonet --schema " + shell_quote(schema) + " " + shell_quote(file.string()) + " >" +
                              shell_quote(log.string()) + " 2>&1";
  XmllintResult result;
  result.status = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  result.output = text.str();
  std::filesystem::remove_all(dir);
  return result;
}

const char* cap_xsd() {
  const char* schema = std::getenv("PACT_CAP_XSD");
  return schema != nullptr && *schema != '\0' ? schema : nullptr;
}

TEST(CapAlert, RenderedDocumentsPassTheOfficialXsd) {
  const char* schema = cap_xsd();
  if (schema == nullptr) GTEST_SKIP() << "PACT_CAP_XSD is not set (deploy/validate/fetch-cap-schema.sh prints the path)";
  ASSERT_TRUE(std::filesystem::is_regular_file(schema)) << "PACT_CAP_XSD names no file: " << schema;

  const CapMessage alert = capacity_alert();
  const CapMessage update = capacity_update(alert);
  const CapMessage cancel = capacity_cancel(alert, update);
  CapMessage escaped = alert;
  escaped.info.event = "Capacity < 5% & \"falling\"";
  for (const auto& [name, message] : {std::pair{"alert", &alert}, {"update", &update}, {"cancel", &cancel}, {"escaped", &escaped}}) {
    const XmllintResult result = xmllint_schema(schema, render_cap_xml(*message), name);
    EXPECT_EQ(result.status, 0) << name << ": " << result.output;
  }
  const XmllintResult hand_written = xmllint_schema(schema, kValidDocument, "hand-written");
  EXPECT_EQ(hand_written.status, 0) << hand_written.output;
}

// Where the XSD can see a defect, it and the check agree; the check also sees what the XSD cannot.
TEST(CapAlert, TheXsdAgreesWithTheCheckOnDefectsItCanSee) {
  const char* schema = cap_xsd();
  if (schema == nullptr) GTEST_SKIP() << "PACT_CAP_XSD is not set";
  struct Defect {
    const char* name;
    const char* from;
    const char* to;
    bool xsd_sees_it;
  };
  const Defect defects[] = {
      {"missing-sent", "  <sent>2025-03-14T10:00:00+01:00</sent>\n", "", true},
      {"bad-enum", "<status>Actual</status>", "<status>Real</status>", true},
      {"wrong-order", "<status>Actual</status>\n  <msgType>Alert</msgType>", "<msgType>Alert</msgType>\n  <status>Actual</status>", true},
      {"zulu", "2025-03-14T10:00:00+01:00", "2025-03-14T09:00:00Z", true},
      {"wrong-namespace", "cap:1.2\"", "cap:1.1\"", true},
      {"no-restriction", "  <restriction>EOC duty desks only</restriction>\n", "", false},
      {"spaced-identifier", "pact-rs-escalations-0001", "pact rs 1", false},
  };
  for (const Defect& defect : defects) {
    std::string document(kValidDocument);
    replace_once(document, defect.from, defect.to);
    EXPECT_FALSE(check_cap_structure(document).empty()) << defect.name;
    const XmllintResult result = xmllint_schema(schema, document, defect.name);
    if (defect.xsd_sees_it) {
      EXPECT_NE(result.status, 0) << defect.name << " passed the XSD";
    } else {
      EXPECT_EQ(result.status, 0) << defect.name << ": " << result.output;
    }
  }
}

}  // namespace
}  // namespace pact::situation
