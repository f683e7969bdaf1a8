package hub

import (
	"html"
	"regexp"
	"strings"
)

// Markdown renders a safe subset of Markdown to HTML: headings (#, ##,
// ###), paragraphs, bulleted and numbered lists, **bold**, *italic*,
// `code` and [links](https://…). Every character of the source is
// HTML-escaped before any tag is added, and the only tags are the ones
// this function writes, so raw HTML, event handlers and script cannot get
// through; link targets must be http, https or mailto URLs (anything else
// is shown as text). Headings start at level 2 so they sit under the page's
// own h1.
func Markdown(src string) string {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var para []string
	list := ""
	flushPara := func() {
		if len(para) > 0 {
			b.WriteString(`<p class="govuk-body">` + inline(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			flushPara()
			closeList()
		case strings.HasPrefix(line, "#"):
			flushPara()
			closeList()
			level := len(line) - len(strings.TrimLeft(line, "#"))
			text := strings.TrimSpace(line[level:])
			class := map[int]string{1: "govuk-heading-l", 2: "govuk-heading-m", 3: "govuk-heading-s"}[min(level, 3)]
			tag := []string{"h2", "h2", "h3", "h4"}[min(level, 3)]
			b.WriteString("<" + tag + ` class="` + class + `">` + inline(text) + "</" + tag + ">\n")
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* "):
			flushPara()
			if list != "ul" {
				closeList()
				b.WriteString(`<ul class="govuk-list govuk-list--bullet">` + "\n")
				list = "ul"
			}
			b.WriteString("<li>" + inline(strings.TrimSpace(line[2:])) + "</li>\n")
		case numbered.MatchString(line):
			flushPara()
			if list != "ol" {
				closeList()
				b.WriteString(`<ol class="govuk-list govuk-list--number">` + "\n")
				list = "ol"
			}
			b.WriteString("<li>" + inline(numbered.ReplaceAllString(line, "")) + "</li>\n")
		default:
			closeList()
			para = append(para, line)
		}
	}
	flushPara()
	closeList()
	return b.String()
}

var (
	numbered = regexp.MustCompile(`^\d+[.)]\s+`)
	codeRE   = regexp.MustCompile("`([^`]+)`")
	linkRE   = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	boldRE   = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	italicRE = regexp.MustCompile(`\*([^*]+)\*`)
)

// inline escapes the text, then turns the escaped markup into tags.
func inline(s string) string {
	s = html.EscapeString(s)
	s = codeRE.ReplaceAllString(s, "<code>$1</code>")
	s = linkRE.ReplaceAllStringFunc(s, func(m string) string {
		parts := linkRE.FindStringSubmatch(m)
		target := html.UnescapeString(parts[2])
		lower := strings.ToLower(target)
		if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "mailto:") {
			return m // not a safe link: leave the escaped text as it is
		}
		return `<a class="govuk-link" href="` + html.EscapeString(target) + `" rel="nofollow noopener">` + parts[1] + `</a>`
	})
	s = boldRE.ReplaceAllString(s, "<strong>$1</strong>")
	s = italicRE.ReplaceAllString(s, "<em>$1</em>")
	return s
}
