package compose

import (
	"strings"

	"github.com/careerbot/careerbot/internal/vocab"
)

// toolKinds are the words people ask for a kind of tool by ("what do they use
// for chatting", "video call software", "where do i host my portfolio") and
// the names of well-known tools of that kind, which is all a guide's tool list
// says ("- Slack", "- Zoom", "- Behance"). A list line naming a tool of the
// kind asked for answers the question as if it said the word. General
// knowledge of tools, for every career a guide may cover; keep each name
// distinctive (no "teams", "resolve", "meet": everyday words elsewhere).
var toolKinds = []struct{ asks, names string }{
	{"chat chatting messaging message messenger instant", "slack discord mattermost whatsapp telegram"},
	{"call calls meeting meetings conferencing videoconferencing", "zoom webex skype gotomeeting"},
	{"photo photos photograph photographs image images picture pictures retouch retouching", "lightroom photoshop gimp affinity snapseed"},
	{"edit editing editor cut cutting", "premiere davinci avid capcut imovie"},
	{"motion animation animate animating effects vfx", "after effects blender cinema4d maya"},
	{"sound audio podcast podcasting mixing", "audition audacity protools garageband logic"},
	{"schedule scheduling scheduler queue automate automating", "hootsuite buffer sprout later"},
	{"social platform platforms network networks channel channels", "facebook instagram tiktok twitter linkedin youtube pinterest snapchat"},
	{"host hosting showcase online website site", "behance dribbble vimeo squarespace wix wordpress github"},
	{"design designing graphic graphics layout mockup", "canva figma illustrator indesign sketch photoshop"},
	{"prototype prototyping wireframe wireframes", "figma sketch axure balsamiq invision"},
	{"project projects task tasks tracking organize organise planning", "asana trello jira monday basecamp notion clickup"},
	{"dashboard dashboards visualization visualisation chart charts report reporting", "tableau looker powerbi"},
	{"spreadsheet spreadsheets", "excel sheets"},
	{"code coding program programming script scripting developer", "html css javascript python sql"},
	{"database databases query querying", "sql postgresql mysql snowflake bigquery"},
	{"store storage storing share sharing files file cloud", "dropbox drive onedrive box"},
	{"gear equipment hardware kit camera cameras", "dslr mirrorless camera microphone mic tripod gimbal lighting"},
	{"seo search ranking rankings", "semrush ahrefs moz"},
	{"email emails newsletter newsletters mailing", "mailchimp hubspot constant"},
	{"survey surveys questionnaire", "qualtrics surveymonkey typeform"},
}

// toolNamesOf maps a stem people ask a kind of tool by to the stems of the
// tools of that kind.
var toolNamesOf = func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, k := range toolKinds {
		names := map[string]bool{}
		vocab.ForEachWord(k.names, func(w string) { names[vocab.Stem(strings.ToLower(w))] = true })
		vocab.ForEachWord(k.asks, func(w string) {
			st := vocab.Stem(w)
			if m[st] == nil {
				m[st] = map[string]bool{}
			}
			for n := range names {
				m[st][n] = true
			}
		})
	}
	return m
}()
