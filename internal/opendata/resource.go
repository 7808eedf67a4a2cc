package opendata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// File is an uploaded file, read once as it streams in.
type File struct {
	Name string
	Body io.Reader
}

// AddResource adds a resource to a dataset: a link (r.URL set) or a file.
// A CSV file is converted to UTF-8 when it comes in another encoding and its
// rows are loaded for the preview and datastore_search.
func (s *Service) AddResource(ctx context.Context, datasetID string, r *Resource, file *File) error {
	d, err := s.store.Dataset(ctx, datasetID)
	if err != nil {
		return err
	}
	if d.State == Deleted {
		return fault.New(fault.NotFound, "data.not_found")
	}
	if err := s.checkPublish(ctx, d.SiteID); err != nil {
		return err
	}
	if file == nil && r.URL == "" {
		return fault.OnField("upload", "data.file_or_url")
	}
	if file != nil {
		r.URL = ""
		if r.Name == "" {
			r.Name = file.Name
		}
	}
	if err := r.validate(); err != nil {
		return err
	}
	r.ID, r.DatasetID, r.State = NewID(), d.ID, Active
	now := s.now().UTC()
	r.Created, r.Modified = now, now
	r.Position = len(d.Resources)
	var v *FileVersion
	if file != nil {
		if v, err = s.saveFile(r.ID, 1, file); err != nil {
			return err
		}
		v.CreatedBy = createdBy(ctx)
		r.applyVersion(v)
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateResource(ctx, r); err != nil {
			return err
		}
		if v != nil {
			if err := s.store.AddFileVersion(ctx, v); err != nil {
				return err
			}
		}
		d.Resources = append(d.Resources, r)
		if err := s.touch(ctx, d); err != nil {
			return err
		}
		return s.log.Record(ctx, "resource.create", d.SiteID, d.Name+"/"+r.ID, map[string]any{"name": r.Name, "format": r.Format, "hash": r.Hash, "size": r.Size})
	})
	if err != nil {
		if v != nil {
			os.RemoveAll(filepath.Join(s.media, "opendata", r.ID))
		}
		return err
	}
	return s.loadIfTabular(ctx, r, v)
}

// ResourceChange is an edit of a resource's description.
type ResourceChange struct {
	Name        *string
	Description *string
	Format      *string
	URL         *string
}

// UpdateResource edits a resource's description and, when file is given,
// makes it the resource's new version; earlier versions stay downloadable.
func (s *Service) UpdateResource(ctx context.Context, id string, ch ResourceChange, file *File) (*Resource, error) {
	r, d, err := s.resourceForWrite(ctx, id)
	if err != nil {
		return nil, err
	}
	before := *r
	for _, f := range []struct{ dst, src *string }{{&r.Name, ch.Name}, {&r.Description, ch.Description}, {&r.Format, ch.Format}, {&r.URL, ch.URL}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if file != nil {
		r.URL = ""
	} else if r.URL == "" && r.Filename == "" {
		return nil, fault.OnField("upload", "data.file_or_url")
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	var v *FileVersion
	if file != nil {
		if v, err = s.saveFile(r.ID, r.Version+1, file); err != nil {
			return nil, err
		}
		v.CreatedBy = createdBy(ctx)
		r.applyVersion(v)
		r.Modified = s.now().UTC()
	}
	if r.URL != "" && before.URL != r.URL {
		r.Modified = s.now().UTC()
	}
	oldTable := r.Datastore
	if file != nil || r.URL != "" {
		r.Datastore, r.Rows, r.Columns, r.Report = "", 0, nil, nil
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateResource(ctx, r); err != nil {
			return err
		}
		if v != nil {
			if err := s.store.AddFileVersion(ctx, v); err != nil {
				return err
			}
		}
		if err := s.touch(ctx, d); err != nil {
			return err
		}
		detail := map[string]any{"name": r.Name, "format": r.Format}
		if v != nil {
			detail["version"], detail["hash"], detail["size"] = v.Version, v.Hash, v.Size
		}
		return s.log.Record(ctx, "resource.update", d.SiteID, d.Name+"/"+r.ID, detail)
	})
	if err != nil {
		if v != nil {
			os.RemoveAll(filepath.Dir(filepath.Join(s.media, v.Path)))
		}
		return nil, err
	}
	if oldTable != "" && oldTable != r.Datastore {
		s.store.DropTable(context.WithoutCancel(ctx), oldTable)
	}
	return r, s.loadIfTabular(ctx, r, v)
}

// DeleteResource takes a resource out of its dataset; its files are kept.
func (s *Service) DeleteResource(ctx context.Context, id string) error {
	r, d, err := s.resourceForWrite(ctx, id)
	if err != nil {
		return err
	}
	r.State = Deleted
	table := r.Datastore
	r.Datastore = ""
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateResource(ctx, r); err != nil {
			return err
		}
		if err := s.touch(ctx, d); err != nil {
			return err
		}
		return s.log.Record(ctx, "resource.delete", d.SiteID, d.Name+"/"+r.ID, map[string]any{"name": r.Name})
	})
	if err == nil && table != "" {
		s.store.DropTable(context.WithoutCancel(ctx), table)
	}
	return err
}

// ReloadDatastore loads the current file of a resource into the datastore
// again (after a failed or interrupted load).
func (s *Service) ReloadDatastore(ctx context.Context, id string) (*Resource, error) {
	r, _, err := s.resourceForWrite(ctx, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.FileVersions(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fault.New(fault.Invalid, "data.not_tabular")
	}
	v := vs[len(vs)-1]
	if !tabularFormat(v.Format) {
		return nil, fault.New(fault.Invalid, "data.not_tabular")
	}
	return r, s.loadIfTabular(ctx, r, v)
}

func (s *Service) resourceForWrite(ctx context.Context, id string) (*Resource, *Dataset, error) {
	r, err := s.store.Resource(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.store.Dataset(ctx, r.DatasetID)
	if err != nil {
		return nil, nil, err
	}
	if r.State == Deleted || d.State == Deleted {
		return nil, nil, fault.New(fault.NotFound, "data.resource_not_found", id)
	}
	if err := s.checkPublish(ctx, d.SiteID); err != nil {
		return nil, nil, err
	}
	for i, x := range d.Resources {
		if x.ID == r.ID {
			d.Resources[i] = r
		}
	}
	return r, d, nil
}

func (r *Resource) applyVersion(v *FileVersion) {
	r.Version, r.Filename, r.Size, r.Hash = v.Version, v.Filename, v.Size, v.Hash
	if r.Format == "" {
		r.Format = v.Format
	}
	r.Mimetype = Mimetype(r.Format)
}

func tabularFormat(f string) bool { return f == "CSV" || f == "TSV" }

// loadIfTabular loads a CSV version's rows and records the outcome on the
// resource. Loading happens after the file is stored and described, so a
// file that is not a good table is still published, with an explanation.
func (s *Service) loadIfTabular(ctx context.Context, r *Resource, v *FileVersion) error {
	if v == nil || !tabularFormat(strings.ToUpper(r.Format)) {
		return nil
	}
	table := tableName(r.ID, v.Version)
	report := LoadReport{Encoding: v.Encoding, Converted: v.Encoding != "" && v.Encoding != EncUTF8}
	if v.Encoding == "" {
		report.Error = "data.encoding_unknown"
	}
	var cols []Column
	var err error
	if report.Error == "" {
		cols, report, err = s.loadTable(ctx, table, filepath.Join(s.media, v.Path), report)
		if err != nil {
			return err
		}
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.store.Resource(ctx, r.ID)
		if err != nil {
			return err
		}
		if cur.Version != v.Version {
			s.store.DropTable(ctx, table) // a newer file came meanwhile
			return nil
		}
		old := cur.Datastore
		cur.Report = &report
		if report.Error == "" {
			cur.Datastore, cur.Rows, cur.Columns = table, report.Rows, cols
		}
		if err := s.store.UpdateResource(ctx, cur); err != nil {
			return err
		}
		// The rows change what the API says of the dataset, not what the
		// search index holds: a lighter touch.
		seq, err := s.store.NextDataSeq(ctx)
		if err != nil {
			return err
		}
		if err := s.store.TouchDataset(ctx, cur.DatasetID, seq, s.now().UTC()); err != nil {
			return err
		}
		s.changed(ctx)
		*r = *cur
		if old != "" && old != table {
			s.store.AfterCommit(ctx, "", func() { s.store.DropTable(context.Background(), old) })
		}
		return nil
	})
}

// saveFile streams an upload into the media directory, within the size
// limit, converts text tables to UTF-8, and returns the version record.
func (s *Service) saveFile(resourceID string, version int, file *File) (*FileVersion, error) {
	name := safeFilename(file.Name)
	rel := filepath.Join("opendata", resourceID, strconv.Itoa(version), name)
	path := filepath.Join(s.media, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(f, io.LimitReader(file.Body, s.limits.MaxFile+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	fail := func(err error) (*FileVersion, error) {
		os.RemoveAll(filepath.Dir(path))
		return nil, err
	}
	if err != nil {
		// http.MaxBytesReader's error: the request was cut at its limit.
		if strings.Contains(err.Error(), "too large") {
			return fail(fault.OnField("upload", "data.file_too_large", s.limits.MaxFile>>20))
		}
		return fail(err)
	}
	if n > s.limits.MaxFile {
		return fail(fault.OnField("upload", "data.file_too_large", s.limits.MaxFile>>20))
	}
	if n == 0 {
		return fail(fault.OnField("upload", "data.file_empty"))
	}
	v := &FileVersion{ResourceID: resourceID, Version: version, Filename: name, Path: rel, Format: FormatOf(name), Created: s.now().UTC()}
	if strings.HasSuffix(strings.ToLower(name), ".tsv") {
		v.Format = "TSV"
	}
	if tabularFormat(v.Format) {
		if v.Encoding, err = convertFile(path); err != nil {
			return fail(err)
		}
	}
	if v.Size, v.Hash, err = hashFile(path); err != nil {
		return fail(err)
	}
	return v, nil
}

// createdBy names who uploads a version, for its record.
func createdBy(ctx context.Context) string {
	if a := access.From(ctx); a != nil {
		return a.Name
	}
	return ""
}

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, "sha256:" + hex.EncodeToString(h.Sum(nil)), err
}

// safeFilename keeps a file name readable and harmless on every system.
func safeFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	ext := strings.ToLower(filepath.Ext(name))
	base := vietnamese.Slug(strings.TrimSuffix(name, filepath.Ext(name)), 80)
	if base == "" {
		base = "tep"
	}
	if len(ext) > 10 || strings.ContainsAny(ext, " /") {
		ext = ""
	}
	return base + ext
}

// Resource returns a resource of a public dataset (or of any dataset its
// caller may publish for), with the dataset.
func (s *Service) Resource(ctx context.Context, id string) (*Resource, *Dataset, error) {
	r, err := s.store.Resource(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.store.Dataset(ctx, r.DatasetID)
	if err != nil {
		return nil, nil, err
	}
	if r.State == Deleted || d.State == Deleted || d.State != Active && s.checkPublish(ctx, d.SiteID) != nil {
		return nil, nil, fault.New(fault.NotFound, "data.resource_not_found", id)
	}
	return r, d, nil
}

// FileVersions lists every file a resource has had, oldest first.
func (s *Service) FileVersions(ctx context.Context, id string) ([]*FileVersion, error) {
	if _, _, err := s.Resource(ctx, id); err != nil {
		return nil, err
	}
	return s.store.FileVersions(ctx, id)
}

// OpenFile opens a version of a resource's file (0: the current one) for
// download and counts the download.
func (s *Service) OpenFile(ctx context.Context, id string, version int) (*os.File, *FileVersion, error) {
	r, _, err := s.Resource(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !r.Upload() {
		return nil, nil, fault.New(fault.NotFound, "data.resource_not_found", id)
	}
	if version == 0 {
		version = r.Version
	}
	vs, err := s.store.FileVersions(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		if v.Version == version {
			f, err := os.Open(filepath.Join(s.media, v.Path))
			if err != nil {
				return nil, nil, fault.Wrap(err, fault.NotFound, "data.file_missing")
			}
			s.dl.hit(id)
			return f, v, nil
		}
	}
	return nil, nil, fault.New(fault.NotFound, "data.version_not_found", version)
}

// CountDownload counts a download that did not go through OpenFile (a
// link followed, a table exported).
func (s *Service) CountDownload(id string) { s.dl.hit(id) }

// downloads buffers download counts in memory; FlushDownloads writes them.
type downloads struct {
	mu     sync.Mutex
	counts map[string]int64
}

func (d *downloads) hit(id string) {
	d.mu.Lock()
	d.counts[id]++
	d.mu.Unlock()
}

// FlushDownloads adds the buffered download counts to the database.
func (s *Service) FlushDownloads(ctx context.Context) error {
	s.dl.mu.Lock()
	c := s.dl.counts
	s.dl.counts = map[string]int64{}
	s.dl.mu.Unlock()
	if len(c) == 0 {
		return nil
	}
	return s.store.AddDownloads(ctx, c)
}

// Run flushes download counts and keeps the feeds current until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	feeds := time.NewTicker(time.Hour)
	defer feeds.Stop()
	for {
		select {
		case <-ctx.Done():
			s.FlushDownloads(context.Background())
			return
		case <-t.C:
			s.FlushDownloads(ctx)
		case <-feeds.C:
			s.RefreshFeeds(ctx)
		}
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}
