package vocab

// ToolKinds are the words people ask for a kind of tool by ("what do they use
// for chatting", "video call software", "where do i host my portfolio") and
// the names of well-known tools of that kind, which is all a guide's tool list
// says ("- Slack", "- Zoom", "- Behance"). Answer writing (internal/compose)
// takes a list line naming a tool of the kind asked for as if it said the
// word; retrieval (internal/rag) takes the kind's word in a question about
// tools as a word of that question's topic. General
// knowledge of tools, for every career a guide may cover; keep each name
// distinctive (no "teams", "resolve", "meet": everyday words elsewhere).
var ToolKinds = []struct{ Asks, Names string }{
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
	{"dashboard dashboards visualization visualisation chart charts report reporting analytics", "tableau looker powerbi"},
	{"spreadsheet spreadsheets", "excel sheets"},
	{"code coding program programming script scripting developer", "html css javascript python sql"},
	{"database databases query querying", "sql postgresql mysql snowflake bigquery"},
	{"store storage storing share sharing files file cloud asset assets", "dropbox drive onedrive box bynder widen"},
	{"gear equipment hardware kit camera cameras", "dslr mirrorless camera microphone mic tripod gimbal lighting"},
	{"stream streaming livestream livestreaming broadcast broadcasting", "obs streamyard restream twitch"},
	{"test tests testing tester measure measuring diagnose diagnosing troubleshoot troubleshooting usability", "multimeter multimeters voltmeter tester testers lookback usertesting maze"},
	{"seo search ranking rankings", "semrush ahrefs moz"},
	{"email emails newsletter newsletters mailing", "mailchimp hubspot constant"},
	{"survey surveys questionnaire", "qualtrics surveymonkey typeform"},
	{"cms blog blogging publish publishing", "wordpress drupal joomla ghost contentful"},
}
