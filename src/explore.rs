//! What a DME explore job says about a device: which platform's DM tree exists.
//! Used on the job database (`dmtool device`) and on DM logs (`dmtool log
//! explain`): both hand over the probe operations as [`ProbeAnswer`]s.
//!
//! The explore job sends Get (and an Add/Delete pair) on a few nodes; 200 means
//! the node exists, 404 that it does not (troubleshooting guide; oma-dm-notes.md
//! section 1). The rules are the [`PROBES`] table: a target prefix and the
//! platform it reveals. A job is an explore job when its operations probe at least
//! two different platforms' trees (an installation job works in one tree only).

use serde::Serialize;

use crate::codes::{Outcome, status};

/// One operation as the rules see it: what it targeted and how it was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeAnswer<'a> {
    pub target: Option<&'a str>,
    pub command: Option<&'a str>,
    pub status: Option<u32>,
}

/// A platform DME can tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Platform {
    #[serde(rename = "S60")]
    S60,
    #[serde(rename = "Windows Mobile")]
    WindowsMobile,
    #[serde(rename = "Java")]
    Java,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Self::S60 => "S60",
            Self::WindowsMobile => "Windows Mobile",
            Self::Java => "Java",
        }
    }
}

/// One rule: operations on targets under `prefix` probe for `platform`.
#[derive(Debug)]
pub struct Probe {
    pub prefix: &'static str,
    /// `None`: a probe DME sends that names no platform of its own.
    pub platform: Option<Platform>,
}

/// The explore job's probes. Prefixes compare without regard to case (the guide
/// writes both `./SCM/` and `./scm/`).
pub static PROBES: &[Probe] = &[
    Probe {
        prefix: "./SCM/",
        platform: Some(Platform::S60),
    },
    Probe {
        prefix: "./Vendor/MSFT/SwMgmt/",
        platform: Some(Platform::WindowsMobile),
    },
    Probe {
        prefix: "./Com.SonyEricsson/Content/JavaApplications",
        platform: Some(Platform::Java),
    },
    Probe {
        prefix: "./Software/Inventory/Native",
        platform: None,
    },
];

/// The probe rule a target falls under.
pub fn probe_of(target: &str) -> Option<(usize, &'static Probe)> {
    PROBES.iter().enumerate().find(|(_, probe)| {
        target
            .get(..probe.prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(probe.prefix))
    })
}

/// True when operations on these targets probe two or more rules: an explore job.
pub fn is_explore_job<'t>(targets: impl IntoIterator<Item = Option<&'t str>>) -> bool {
    let mut seen = vec![false; PROBES.len()];
    for target in targets {
        if let Some((index, _)) = target.and_then(probe_of) {
            seen[index] = true;
        }
    }
    seen.iter().filter(|hit| **hit).count() >= 2
}

/// What one probe operation showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub target: Option<String>,
    pub command: Option<String>,
    pub status: Option<u32>,
    pub status_name: Option<&'static str>,
    /// The platform the probe is for (`null` for a probe naming none).
    pub platform: Option<Platform>,
    /// `present` (2xx), `absent` (404: the tree is not there), `error` (any other
    /// failure: says nothing about the tree), `unanswered` (no status, or 1xx).
    pub verdict: &'static str,
}

/// The platform an explore job found, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `S60`, `Windows Mobile`, `Java` or `unknown`.
    pub platform: &'static str,
    /// Why, in words.
    pub reason: String,
    pub evidence: Vec<Evidence>,
}

/// Classifies one explore job's operations. A platform is found when a probe of
/// its tree answered 2xx and none answered 404; none or several found is
/// `unknown`, with the reason. Other failures (a 418 on a left-over test node,
/// a 500) neither confirm nor rule out a tree.
pub fn classify<'a>(operations: impl IntoIterator<Item = ProbeAnswer<'a>>) -> Finding {
    let evidence: Vec<Evidence> = operations
        .into_iter()
        .filter_map(|answer| {
            let (_, probe) = answer.target.and_then(probe_of)?;
            let status = answer.status;
            Some(Evidence {
                target: answer.target.map(str::to_owned),
                command: answer.command.map(str::to_owned),
                status,
                status_name: status.and_then(status::name_of),
                platform: probe.platform,
                verdict: verdict(status),
            })
        })
        .collect();
    let found: Vec<Platform> = [Platform::S60, Platform::WindowsMobile, Platform::Java]
        .into_iter()
        .filter(|platform| {
            let probes: Vec<&Evidence> = evidence
                .iter()
                .filter(|e| e.platform == Some(*platform))
                .collect();
            probes.iter().any(|e| e.verdict == PRESENT)
                && probes.iter().all(|e| e.verdict != ABSENT)
        })
        .collect();
    match found.as_slice() {
        [platform] => Finding {
            platform: platform.name(),
            reason: format!(
                "the {} probes answered 2xx and none 404; no other platform's did",
                platform.name()
            ),
            evidence,
        },
        [] => Finding {
            platform: "unknown",
            reason: "no platform's probes answered 2xx without a 404".into(),
            evidence,
        },
        several => Finding {
            platform: "unknown",
            reason: format!(
                "the probes of several platforms answered 2xx: {}",
                several
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            evidence,
        },
    }
}

pub const PRESENT: &str = "present";
pub const ABSENT: &str = "absent";

/// What one probe's status says about its tree.
pub fn verdict(status: Option<u32>) -> &'static str {
    match (Outcome::of(status), status) {
        (Outcome::Ok, _) => PRESENT,
        (_, Some(404)) => ABSENT,
        (Outcome::Unanswered | Outcome::InProgress, _) => "unanswered",
        (Outcome::Failed, _) => "error",
    }
}
