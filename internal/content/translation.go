package content

import (
	"context"
	"slices"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
)

// Translate starts the translation of an item into lang as a draft copy
// (text to be translated, same slug, same category), linked to the
// original. A site translates into the languages it enables.
func (s *Service) Translate(ctx context.Context, originalID int64, lang string) (*Article, error) {
	var out *Article
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		o, err := s.store.Article(ctx, originalID)
		if err != nil {
			return err
		}
		if err := access.Check(ctx, access.DraftContent, o.SiteID); err != nil {
			return err
		}
		if o.OriginalID != 0 {
			return fault.New(fault.Conflict, "translation.of_translation")
		}
		d, err := s.sites.Directory(ctx)
		if err != nil {
			return err
		}
		st, ok := d.ByID(o.SiteID)
		if !ok || lang == o.Lang || lang == i18n.Default || !i18n.Has(lang) || !st.Speaks(lang) {
			return fault.OnField("lang", "translation.language_off")
		}
		ts, err := s.store.Translations(ctx, o.ID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(ts, func(t *Article) bool { return t.Lang == lang }) {
			return fault.New(fault.Conflict, "translation.exists")
		}
		taken, err := s.store.SlugTaken(ctx, o.SiteID, lang, o.Slug, 0)
		if err != nil {
			return err
		}
		if taken {
			return fault.New(fault.Conflict, "translation.exists")
		}
		ac := actor(ctx)
		t := &Article{SiteID: o.SiteID, Kind: o.Kind, Lang: lang, OriginalID: o.ID, SourceRev: o.ContentRev,
			CategoryID: o.CategoryID, Slug: o.Slug, Title: o.Title, Summary: o.Summary, Body: o.Body,
			CoverID: o.CoverID, Author: o.Author, Source: o.Source, Tags: o.Tags, Template: o.Template,
			MediaIDs: o.MediaIDs, Position: o.Position, Status: Draft, ContentRev: 1, ContentUpdated: s.now(),
			CreatedBy: ac.UserID, CreatedByName: ac.Name}
		if err := s.store.CreateArticle(ctx, t); err != nil {
			return err
		}
		if err := s.revise(ctx, t, "translate"); err != nil {
			return err
		}
		out = t
		return s.log.Record(ctx, "article.translate", o.SiteID, target(t), map[string]any{"original": o.ID, "lang": lang})
	})
	return out, err
}

// MarkTranslated records that a translation now follows the original's
// current text (the translator checked it), clearing the outdated flag.
func (s *Service) MarkTranslated(ctx context.Context, id int64, version int) (*Article, error) {
	return s.transition(ctx, id, version, access.EditContent, "translation_current", func(ctx context.Context, a *Article) error {
		if a.OriginalID == 0 {
			return fault.New(fault.Conflict, "translation.not_translation")
		}
		o, err := s.store.Article(ctx, a.OriginalID)
		if err != nil {
			return err
		}
		a.SourceRev = o.ContentRev
		if a.Public() {
			return s.changed(ctx, a)
		}
		return nil
	})
}

// Translations returns the translations of an item (or of its original,
// for a translation), each with its outdated flag.
func (s *Service) Translations(ctx context.Context, a *Article) ([]*Article, error) {
	orig := a
	if a.OriginalID != 0 {
		o, err := s.store.Article(ctx, a.OriginalID)
		if err != nil {
			return nil, err
		}
		orig = o
	}
	ts, err := s.store.Translations(ctx, orig.ID)
	if err != nil {
		return nil, err
	}
	out := []*Article{orig}
	for _, t := range ts {
		t.Outdated = orig.ContentRev > t.SourceRev
		out = append(out, t)
	}
	return out, nil
}
