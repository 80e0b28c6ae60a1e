// A concept, its input types and a sync declared inside a function body, as
// in a test or a doctest.
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, sync, ActionError, ActionSet, Engine};

fn main() {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Note {
        pub text: String,
    }

    pub struct Notes;

    #[concept]
    impl Notes {
        pub async fn add(&self, note: Note, author: String) -> Result<Note, ActionError> {
            let _ = author;
            Ok(note)
        }
    }

    sync! {
        pub AddNote
        when
            Requesting.request (path: "/notes", note, author) : (request)
        then
            Notes.add (note, author)
            Requesting.respond (request, added: true)
    }

    assert_eq!(<NotesAction as ActionSet>::SCHEMA.len(), 1);
    let _ = Engine::builder().concept(Notes).sync(AddNote).build();
}
