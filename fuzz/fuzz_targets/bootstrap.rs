//! Fuzzes what reads a bootstrap: the SMS/UDH and WSP push layers, the MAC
//! check and the Client Provisioning decoder. Any input must come back as a
//! document or an error with an offset: never a panic.
#![no_main]

use dmtool::bootstrap;
use dmtool::syncml::provisioning;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The input as one SMS, and split in two parts.
    let half = data.len() / 2;
    for parts in [
        vec![data.to_vec()],
        vec![data[..half].to_vec(), data[half..].to_vec()],
    ] {
        if let Ok(push) = bootstrap::unwrap(&parts) {
            let _ = bootstrap::check_mac(&push, Some("466923103145252"), Some("12345678"));
            if let Ok(document) = provisioning::decode(&push.body) {
                let _ = document.to_xml();
            }
        }
    }
    if let Ok(document) = provisioning::decode(data) {
        let _ = document.to_xml();
    }
    // As `log explain` reads a bootstrap written into a log.
    let _ = bootstrap::found_in_log(data);
});
