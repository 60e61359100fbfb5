package components_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/tools/browsertest"
	"prizeportal/web/components"
	"prizeportal/web/static"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Close()
	os.Exit(code)
}

// sectionPage is a page as the application pages will build it: layout, error summary, and the
// section in a form with a save button.
func sectionPage(v components.SectionView) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		body := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			if _, err := io.WriteString(w, `<div class="wrap"><h1>Application</h1>`); err != nil {
				return err
			}
			if err := components.ErrorSummary(v.Errors).Render(ctx, w); err != nil {
				return err
			}
			if _, err := io.WriteString(w, `<form method="post" enctype="multipart/form-data" novalidate>`); err != nil {
				return err
			}
			if err := components.FormSection(v).Render(ctx, w); err != nil {
				return err
			}
			_, err := io.WriteString(w, `<div class="actions"><button type="submit">Save</button></div></form></div>`)
			return err
		})
		return components.Layout(components.Page{Title: "Application"}).Render(templ.WithChildren(ctx, body), w)
	})
}

// TestFormSectionAccessibleInBrowser renders every section of the Tech-InnovaCity form and the
// extra form with answers and with every submission problem, and runs axe-core on each page.
func TestFormSectionAccessibleInBrowser(t *testing.T) {
	t.Parallel()
	forms := referenceForms(t)
	pages := map[string]components.SectionView{}
	for _, name := range []string{"seoul-2023/tech-innovacity", "seoul-2023/human-centricity", "extra"} {
		f := forms[name]
		filled := sample(f)
		for _, s := range f.Sections {
			pages[name+"/"+s.Key+"/filled"] = components.SectionView{Form: f, Section: s.Key, Answers: filled,
				FileURL: func(ref form.FileRef) string { return "/files/" + ref.ID }}
			errs := form.ValidateSection(f, s.Key, form.Answers{}, form.Submit)
			bad := form.Answers{}
			for _, q := range s.Questions {
				if q.Type == form.Table {
					bad[q.Key] = form.Answer{Rows: []form.Row{{q.Columns[len(q.Columns)-1].Key: "x"}}}
				}
			}
			errs = append(errs, form.ValidateSection(f, s.Key, bad, form.Submit)...)
			pages[name+"/"+s.Key+"/errors"] = components.SectionView{Form: f, Section: s.Key, Answers: bad, Errors: dedupe(errs)}
		}
	}
	mux := http.NewServeMux()
	mux.Handle(static.Prefix, static.Handler(http.NotFoundHandler()))
	mux.HandleFunc("/page/", func(w http.ResponseWriter, r *http.Request) {
		v, ok := pages[strings.TrimPrefix(r.URL.Path, "/page/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		var buf bytes.Buffer
		if err := sectionPage(v).Render(r.Context(), &buf); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// A tab per page: a tab lives 60 s at most, and some fifty pages on a busy machine take longer.
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		t.Run(name, func(t *testing.T) {
			ctx := browsertest.Tab(t)
			if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/page/"+name)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			browsertest.CheckA11y(t, ctx, name)
		})
	}
	ctx := browsertest.Tab(t)
	for _, name := range []string{"seoul-2023/tech-innovacity/project/errors", "seoul-2023/tech-innovacity/organisation/filled", "seoul-2023/tech-innovacity/materials/filled", "extra/extra/filled"} {
		if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/page/"+name)); err != nil {
			t.Fatal(err)
		}
		browsertest.Screenshot(t, ctx, "form-"+strings.ReplaceAll(name, "/", "-"))
	}
}

// dedupe keeps the first problem of each field, as field.Errors.Add does.
func dedupe(errs field.Errors) field.Errors {
	var out field.Errors
	for _, e := range errs {
		out.Add(e.Field, e.Message)
	}
	return out
}
