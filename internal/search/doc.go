// Package search is the one search over all published content of every
// site: documents put into the index by the service that publishes them, in
// the same transaction as the publish, and taken out when unpublished.
package search

import (
	"context"
	"time"
)

// Kind names what a document in the index is.
type Kind string

// The kinds of documents; each part of the product indexes its own.
const (
	KindSite      Kind = "site"      // a portal itself (its name, unit, contacts)
	KindArticle   Kind = "article"   // tin bài
	KindPage      Kind = "page"      // static pages (giới thiệu, cơ cấu tổ chức…)
	KindMedia     Kind = "media"     // photos, videos, audio, files: captions and transcripts
	KindDocument  Kind = "document"  // văn bản
	KindProcedure Kind = "procedure" // thủ tục hành chính
	KindAnswer    Kind = "answer"    // published answers to questions and feedback
	KindDataset   Kind = "dataset"   // open data
	KindDraft     Kind = "draft"     // drafts of documents put out for comment
)

// Kinds lists every kind, in the order facets show them.
var Kinds = []Kind{KindArticle, KindDocument, KindProcedure, KindAnswer, KindDraft, KindPage, KindMedia, KindDataset, KindSite}

// Doc is one published item as the index sees it.
type Doc struct {
	SiteID    int64
	Kind      Kind
	Ref       string // the item's identity within its kind; (Kind, Ref, Lang) is unique
	Lang      string // "vi", "en", …
	Title     string
	Summary   string
	Body      string   // plain text, no markup
	Numbers   []string // identifiers matched whole, such as 42/2022/NĐ-CP
	Category  string   // category or field (chuyên mục, lĩnh vực), for the facet
	Path      string   // the item's path on its site, e.g. /tin-tuc/ten-bai
	Published time.Time
}

// Indexer keeps the index. Put and Delete join the transaction carried by
// ctx (see store.DB.InTx), so an item is searchable exactly when its
// publication is committed.
type Indexer interface {
	Put(ctx context.Context, d Doc) error
	Delete(ctx context.Context, kind Kind, ref string) error
}
