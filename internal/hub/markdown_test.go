package hub

import (
	"regexp"
	"strings"
	"testing"
)

// TestMarkdownXSS feeds a corpus of well-known injection attempts through
// the renderer: none may produce a tag we did not write, an event handler
// attribute, or a javascript:/data:/vbscript: link.
func TestMarkdownXSS(t *testing.T) {
	corpus := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<svg/onload=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`[click](vbscript:msgbox(1))`,
		`[x](https://example.org" onmouseover="alert(1))`,
		`[x](https://example.org"onmouseover="alert(1))`,
		`**<b onclick=alert(1)>bold</b>**`,
		"`<iframe src=javascript:alert(1)>`",
		`<iframe srcdoc="<script>alert(1)</script>">`,
		`# <style>body{display:none}</style>`,
		`- <object data=x>`,
		`1. <embed src=x>`,
		`"><script>alert(1)</script>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`[a](https://ok.example/path?x=<script>)`,
		`<a href=&#106;avascript:alert(1)>x</a>`,
	}
	allowed := regexp.MustCompile(`^</?(p|h2|h3|h4|ul|ol|li|strong|em|code|a)( |>|$)`)
	for _, src := range corpus {
		out := Markdown(src)
		for _, tag := range regexp.MustCompile(`<[^>]*>`).FindAllString(out, -1) {
			if !allowed.MatchString(tag) {
				t.Errorf("%q produced tag %q", src, tag)
			}
			if regexp.MustCompile(`(?i)\son\w+=`).MatchString(tag) {
				t.Errorf("%q produced an event handler: %q", src, tag)
			}
			if m := regexp.MustCompile(`href="([^"]*)"`).FindStringSubmatch(tag); m != nil {
				if !strings.HasPrefix(m[1], "https://") && !strings.HasPrefix(m[1], "http://") && !strings.HasPrefix(m[1], "mailto:") {
					t.Errorf("%q produced a link to %q", src, m[1])
				}
			}
		}
	}
}

func TestMarkdownRenders(t *testing.T) {
	out := Markdown("# Title\n\nSome **bold** and *soft* text with `code`.\n\n- one\n- two\n\n1. first\n2. second\n\nSee [the guide](https://example.org/guide).")
	for _, want := range []string{`<h2 class="govuk-heading-l">Title</h2>`, `<strong>bold</strong>`, `<em>soft</em>`, `<code>code</code>`, `<li>one</li>`, `<ol class="govuk-list govuk-list--number">`,
		`<a class="govuk-link" href="https://example.org/guide" rel="nofollow noopener">the guide</a>`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}
