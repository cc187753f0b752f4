//! Fuzzes what reads untrusted binary input: the WBXML decoder (a file of
//! documents one after the other, as `dmtool log` reads it), the XML it writes
//! (which must parse back into a message, the message read from the document
//! without its tree or XML), and the package 0 decoder behind
//! a WAP push header. Any input
//! must come back as documents or an error with an offset: never a panic, never
//! unbounded memory.
#![no_main]

use dmtool::syncml::{Message, notification, wbxml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = wbxml::is_wbxml(data);
    let mut at = 0;
    while at < data.len() {
        match wbxml::decode_first(&data[at..]) {
            Ok((document, used)) => {
                assert!(used > 0 && at + used <= data.len());
                let xml = document.to_xml();
                if document.root.name == "SyncML" {
                    // The decoder writes well-formed XML.
                    if let Err(error) = Message::parse(&xml) {
                        panic!("decoded XML does not parse: {error}: {xml}");
                    }
                }
                // Read without its tree or XML, a document is the message its
                // XML is, and takes the same bytes.
                let (message, read) = match Message::from_wbxml(&data[at..]) {
                    Ok(read) => read,
                    Err(error) => panic!("decoded, but not read straight: {error}"),
                };
                assert_eq!(read.xml_len, xml.len(), "the XML's length: {xml}");
                assert_eq!(read.used, used, "the bytes taken: {xml}");
                if let Some(message) = message {
                    assert_eq!(Message::parse(&xml).ok(), Some(message), "{xml}");
                }
                at += used;
            }
            Err(error) => {
                assert!(error.offset <= data.len() - at, "offset past the input");
                break;
            }
        }
    }
    // As `dmtool notification` reads it: a WAP push header skipped first.
    let body = notification::without_push_header(data);
    assert!(body.len() <= data.len());
    if let Ok(package) = notification::decode(body) {
        let _ = package.session_id_in_header();
        let _ = notification::digest_matches(body, b"password", b"nonce");
    }
});
