use std::path::PathBuf;

use super::super::CatalogueSearch;
use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::store::ConsultantRecord;

fn consultant(headline: &str, status: ApprovalStatus) -> ConsultantRecord {
    let mut record = ConsultantRecord::sample(status);
    record.profile.headline = headline.into();
    record
}

/// A folder of its own under the system's temporary folder, removed on drop.
struct Folder(PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn folder() -> Folder {
    Folder(std::env::temp_dir().join(format!("taiwa-search-{}", uuid::Uuid::now_v7())))
}

/// Whether opening `dir` for `records` reuses the index stored there.
fn reopened(dir: &std::path::Path, records: &[ConsultantRecord]) -> bool {
    CatalogueSearch::open_or_build(dir, records)
        .expect("open")
        .reused()
}

fn found(search: &CatalogueSearch, q: &str) -> Vec<ConsultantId> {
    let mut ids: Vec<ConsultantId> = search
        .search(q, 100)
        .expect("search")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_stored_index_is_opened_only_while_it_matches_the_catalogue() {
    let dir = folder();
    let mut records = vec![
        consultant("転職の相談", ApprovalStatus::Approved),
        consultant("子育てと仕事の両立", ApprovalStatus::Approved),
        consultant("管理職への昇進", ApprovalStatus::Pending),
    ];
    let ids: Vec<ConsultantId> = records.iter().map(|r| r.id).collect();
    // Enough others that one deleted document stays under the rebuild
    // threshold (`MOST_DELETED`).
    records.extend((0..20).map(|i| consultant(&format!("面談 {i}"), ApprovalStatus::Approved)));

    let first = CatalogueSearch::open_or_build(&dir.0, &records).expect("build");
    assert!(!first.reused(), "nothing stored yet");
    assert_eq!(found(&first, "転職"), vec![ids[0]]);
    drop(first);

    let again = CatalogueSearch::open_or_build(&dir.0, &records).expect("open");
    assert!(again.reused(), "the same catalogue opens what is stored");
    assert_eq!(found(&again, "転職"), vec![ids[0]]);
    assert_eq!(found(&again, "両立"), vec![ids[1]]);
    assert!(
        found(&again, "昇進").is_empty(),
        "a pending profile is not found"
    );

    // A change made while running is stored with its stamp.
    records[1].profile.headline = "起業の準備".into();
    again.upsert(&records[1]).expect("upsert");
    drop(again);
    let after_upsert = CatalogueSearch::open_or_build(&dir.0, &records).expect("open");
    assert!(
        after_upsert.reused(),
        "the upsert's commit carries the new stamp"
    );
    assert_eq!(found(&after_upsert, "起業"), vec![ids[1]]);
    assert!(found(&after_upsert, "両立").is_empty());
    drop(after_upsert);

    // Changes the index never saw (made while the process was down, or lost
    // in a crash between the two commits): rebuilt, never served stale.
    records[1].profile.headline = "副業の始め方".into();
    let changed = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert!(!changed.reused(), "a profile changed: rebuilt");
    assert_eq!(found(&changed, "副業"), vec![ids[1]]);
    assert!(found(&changed, "起業").is_empty(), "the old text is gone");
    drop(changed);

    records[2].status = ApprovalStatus::Approved;
    let approved = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert!(!approved.reused(), "a consultant approved: rebuilt");
    assert_eq!(found(&approved, "昇進"), vec![ids[2]]);
    drop(approved);

    records.remove(0);
    records.truncate(2);
    let removed = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert!(!removed.reused(), "a consultant gone: rebuilt");
    assert!(found(&removed, "転職").is_empty());
    assert_eq!(found(&removed, "面談"), Vec::<ConsultantId>::new());
    drop(removed);

    // Many deletions since the last build: rebuilt, not opened.
    records.extend((0..20).map(|i| consultant(&format!("面談 {i}"), ApprovalStatus::Approved)));
    let search = CatalogueSearch::open_or_build(&dir.0, &records).expect("build");
    for record in records.iter_mut().take(5) {
        record.profile.headline = format!("{} 改", record.profile.headline);
        search.upsert(record).expect("upsert");
    }
    drop(search);
    let churned = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert!(
        !churned.reused(),
        "5 of 27 documents deleted (fewer segments than tantivy merges): rebuilt"
    );
    assert_eq!(found(&churned, "改").len(), 5);
}

#[test]
fn a_damaged_or_busy_folder_still_gives_the_right_answers() {
    let dir = folder();
    let records = vec![
        consultant("転職の相談", ApprovalStatus::Approved),
        consultant("キャリアの棚卸し", ApprovalStatus::Approved),
    ];
    drop(CatalogueSearch::open_or_build(&dir.0, &records).expect("build"));
    std::fs::write(dir.0.join("meta.json"), b"{ not json").expect("damage");
    let repaired = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert!(!repaired.reused(), "a damaged index is rebuilt");
    assert_eq!(found(&repaired, "棚卸"), vec![records[1].id]);

    // Another writer holds the folder: this one builds in memory instead.
    let busy = CatalogueSearch::open_or_build(&dir.0, &records).expect("in memory");
    assert!(!busy.reused());
    assert_eq!(found(&busy, "転職"), vec![records[0].id]);
    let mut changed = records.clone();
    changed[0].profile.headline = "副業の始め方".into();
    let busy = CatalogueSearch::open_or_build(&dir.0, &changed).expect("in memory");
    assert!(!busy.reused());
    assert_eq!(found(&busy, "副業"), vec![records[0].id]);
    assert_eq!(
        found(&repaired, "転職"),
        vec![records[0].id],
        "the holder's folder is left alone"
    );
    drop(repaired);
    let reopened = CatalogueSearch::open_or_build(&dir.0, &records).expect("open");
    assert!(reopened.reused(), "what the holder stored is intact");
}

#[test]
fn damaged_segments_and_foreign_folders_never_give_wrong_answers() {
    let records = vec![
        consultant("転職の相談", ApprovalStatus::Approved),
        consultant("キャリアの棚卸し", ApprovalStatus::Approved),
    ];

    // A segment file with one byte changed (same length): the checksums
    // catch it, and it is rebuilt.
    let dir = folder();
    drop(CatalogueSearch::open_or_build(&dir.0, &records).expect("build"));
    let segment = std::fs::read_dir(&dir.0)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "term"))
        .expect("a term dictionary");
    let mut bytes = std::fs::read(&segment).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&segment, &bytes).expect("flip a byte");
    let rebuilt = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert!(!rebuilt.reused(), "a damaged segment is rebuilt");
    assert_eq!(found(&rebuilt, "棚卸"), vec![records[1].id]);
    drop(rebuilt);
    assert!(reopened(&dir.0, &records), "and the rebuilt one is stored");

    // A file where the folder should be, or a folder of other files: left
    // as they are, and the index is built in memory.
    let file = folder();
    std::fs::write(&file.0, b"not a folder").expect("file");
    let in_memory = CatalogueSearch::open_or_build(&file.0, &records).expect("in memory");
    assert_eq!(found(&in_memory, "転職"), vec![records[0].id]);
    assert_eq!(std::fs::read(&file.0).expect("kept"), b"not a folder");
    let _ = std::fs::remove_file(&file.0);

    let foreign = folder();
    std::fs::create_dir_all(&foreign.0).expect("folder");
    std::fs::write(foreign.0.join("notes.txt"), b"keep me").expect("file");
    std::fs::write(foreign.0.join("meta.json"), b"{}").expect("a meta.json of its own");
    let in_memory = CatalogueSearch::open_or_build(&foreign.0, &records).expect("in memory");
    assert!(!in_memory.reused());
    assert_eq!(found(&in_memory, "転職"), vec![records[0].id]);
    assert_eq!(
        std::fs::read(foreign.0.join("notes.txt")).expect("kept"),
        b"keep me"
    );
}

#[test]
fn an_unchanged_profile_writes_nothing() {
    let dir = folder();
    let records = vec![consultant("転職の相談", ApprovalStatus::Approved)];
    let search = CatalogueSearch::open_or_build(&dir.0, &records).expect("build");
    let opstamp = || search.index.load_metas().expect("metas").opstamp;
    let before = opstamp();
    search.upsert(&records[0]).expect("upsert");
    assert_eq!(opstamp(), before, "the same text: no commit");
    let mut edited = records[0].clone();
    edited.profile.headline = "起業の準備".into();
    search.upsert(&edited).expect("upsert");
    assert!(opstamp() > before, "new text: committed");
    assert_eq!(found(&search, "起業"), vec![edited.id]);
}

#[test]
fn an_index_of_nobody_is_stored_and_rebuilt_in_place() {
    let dir = folder();
    let mut records = vec![consultant("転職の相談", ApprovalStatus::Pending)];
    drop(CatalogueSearch::open_or_build(&dir.0, &records).expect("build"));
    assert!(
        reopened(&dir.0, &records),
        "an index with no document is stored too"
    );
    records[0].status = ApprovalStatus::Approved;
    let approved = CatalogueSearch::open_or_build(&dir.0, &records).expect("rebuild");
    assert_eq!(found(&approved, "転職"), vec![records[0].id]);
    drop(approved);
    assert!(
        reopened(&dir.0, &records),
        "rebuilt in its folder, not in memory"
    );
    assert!(
        !dir.0.with_extension("old").exists(),
        "the old copy is removed"
    );
}
