//! The WBXML token tables of the SyncML family, as data: tag names by token
//! for each code page, and the public ids that select them. Taken from
//! libwbxml's `wbxml_tables.c` (after the SyncML Representation Protocol,
//! MetInf, DevInf and DM TND specifications).

/// One code page: its number, the XML namespace of its elements, and its tags
/// as (token, name), in tables looked up in order (a later version's page is
/// its additions and changes, then the earlier version's table).
pub(super) struct CodePage {
    pub(super) number: u8,
    pub(super) namespace: &'static str,
    tags: &'static [&'static [(u8, &'static str)]],
}

impl CodePage {
    /// The name of tag `id` (the token without its content/attribute bits).
    pub(super) fn tag(&self, id: u8) -> Option<&'static str> {
        self.tags
            .iter()
            .flat_map(|table| table.iter())
            .find(|(token, _)| *token == id)
            .map(|(_, name)| *name)
    }
}

/// A document type: its name (for messages) and code pages.
pub(super) struct Language {
    pub(super) name: &'static str,
    pages: &'static [CodePage],
}

impl Language {
    pub(super) fn page(&self, number: u8) -> Option<&'static CodePage> {
        self.pages.iter().find(|page| page.number == number)
    }
}

/// SyncML 1.0 and 1.1, code page 0. SourceParent (0x39) is SyncML 1.2's, but
/// Nokia phones send it in 1.1 (libwbxml accepts it too).
const SYNCML11_TAGS: &[(u8, &str)] = &[
    (0x05, "Add"),
    (0x06, "Alert"),
    (0x07, "Archive"),
    (0x08, "Atomic"),
    (0x09, "Chal"),
    (0x0A, "Cmd"),
    (0x0B, "CmdID"),
    (0x0C, "CmdRef"),
    (0x0D, "Copy"),
    (0x0E, "Cred"),
    (0x0F, "Data"),
    (0x10, "Delete"),
    (0x11, "Exec"),
    (0x12, "Final"),
    (0x13, "Get"),
    (0x14, "Item"),
    (0x15, "Lang"),
    (0x16, "LocName"),
    (0x17, "LocURI"),
    (0x18, "Map"),
    (0x19, "MapItem"),
    (0x1A, "Meta"),
    (0x1B, "MsgID"),
    (0x1C, "MsgRef"),
    (0x1D, "NoResp"),
    (0x1E, "NoResults"),
    (0x1F, "Put"),
    (0x20, "Replace"),
    (0x21, "RespURI"),
    (0x22, "Results"),
    (0x23, "Search"),
    (0x24, "Sequence"),
    (0x25, "SessionID"),
    (0x26, "SftDel"),
    (0x27, "Source"),
    (0x28, "SourceRef"),
    (0x29, "Status"),
    (0x2A, "Sync"),
    (0x2B, "SyncBody"),
    (0x2C, "SyncHdr"),
    (0x2D, "SyncML"),
    (0x2E, "Target"),
    (0x2F, "TargetRef"),
    (0x31, "VerDTD"),
    (0x32, "VerProto"),
    (0x33, "NumberOfChanges"),
    (0x34, "MoreData"),
    (0x39, "SourceParent"),
];

/// SyncML 1.2 (DS and DM), code page 0: the tags 1.2 added to 1.1's.
const SYNCML12_ADDED: &[(u8, &str)] = &[
    (0x35, "Field"),
    (0x36, "Filter"),
    (0x37, "Record"),
    (0x38, "FilterType"),
    (0x3A, "TargetParent"),
    (0x3B, "Move"),
    (0x3C, "Correlator"),
];

/// MetInf 1.0 and 1.1, code page 1.
const METINF11_TAGS: &[(u8, &str)] = &[
    (0x05, "Anchor"),
    (0x06, "EMI"),
    (0x07, "Format"),
    (0x08, "FreeID"),
    (0x09, "FreeMem"),
    (0x0A, "Last"),
    (0x0B, "Mark"),
    (0x0C, "MaxMsgSize"),
    (0x0D, "Mem"),
    (0x0E, "MetInf"),
    (0x0F, "Next"),
    (0x10, "NextNonce"),
    (0x11, "SharedMem"),
    (0x12, "Size"),
    (0x13, "Type"),
    (0x14, "Version"),
    (0x15, "MaxObjSize"),
];

/// MetInf 1.2, code page 1: the tags 1.2 added to 1.1's.
const METINF12_ADDED: &[(u8, &str)] = &[(0x16, "FieldLevel")];

/// DevInf 1.0 and 1.1, code page 0.
const DEVINF11_TAGS: &[(u8, &str)] = &[
    (0x05, "CTCap"),
    (0x06, "CTType"),
    (0x07, "DataStore"),
    (0x08, "DataType"),
    (0x09, "DevID"),
    (0x0A, "DevInf"),
    (0x0B, "DevTyp"),
    (0x0C, "DisplayName"),
    (0x0D, "DSMem"),
    (0x0E, "Ext"),
    (0x0F, "FwV"),
    (0x10, "HwV"),
    (0x11, "Man"),
    (0x12, "MaxGUIDSize"),
    (0x13, "MaxID"),
    (0x14, "MaxMem"),
    (0x15, "Mod"),
    (0x16, "OEM"),
    (0x17, "ParamName"),
    (0x18, "PropName"),
    (0x19, "Rx"),
    (0x1A, "Rx-Pref"),
    (0x1B, "SharedMem"),
    (0x1C, "Size"),
    (0x1D, "SourceRef"),
    (0x1E, "SwV"),
    (0x1F, "SyncCap"),
    (0x20, "SyncType"),
    (0x21, "Tx"),
    (0x22, "Tx-Pref"),
    (0x23, "ValEnum"),
    (0x24, "VerCT"),
    (0x25, "VerDTD"),
    (0x26, "XNam"),
    (0x27, "XVal"),
    (0x28, "UTC"),
    (0x29, "SupportNumberOfChanges"),
    (0x2A, "SupportLargeObjs"),
];

/// DevInf 1.2, code page 0: the tags 1.2 added to 1.1's, and 0x1C, which
/// 1.1 calls Size and 1.2 MaxSize (looked up first, so it wins).
const DEVINF12_CHANGED: &[(u8, &str)] = &[
    (0x1C, "MaxSize"),
    (0x2B, "Property"),
    (0x2C, "PropParam"),
    (0x2D, "MaxOccur"),
    (0x2E, "NoTruncate"),
    (0x30, "Filter-Rx"),
    (0x31, "FilterCap"),
    (0x32, "FilterKeyword"),
    (0x33, "FieldLevel"),
    (0x34, "SupportHierarchicalSync"),
];

/// OMA DM DDF 1.2 (MgmtTree), code page 2.
const DMDDF12_TAGS: &[(u8, &str)] = &[
    (0x05, "AccessType"),
    (0x06, "ACL"),
    (0x07, "Add"),
    (0x08, "b64"),
    (0x09, "bin"),
    (0x0A, "bool"),
    (0x0B, "chr"),
    (0x0C, "CaseSense"),
    (0x0D, "CIS"),
    (0x0E, "Copy"),
    (0x0F, "CS"),
    (0x10, "date"),
    (0x11, "DDFName"),
    (0x12, "DefaultValue"),
    (0x13, "Delete"),
    (0x14, "Description"),
    (0x15, "DFFormat"),
    (0x16, "DFProperties"),
    (0x17, "DFTitle"),
    (0x18, "DFType"),
    (0x19, "Dynamic"),
    (0x1A, "Exec"),
    (0x1B, "float"),
    (0x1C, "Format"),
    (0x1D, "Get"),
    (0x1E, "int"),
    (0x1F, "Man"),
    (0x20, "MgmtTree"),
    (0x21, "MIME"),
    (0x22, "Mod"),
    (0x23, "Name"),
    (0x24, "Node"),
    (0x25, "node"),
    (0x26, "NodeName"),
    (0x27, "null"),
    (0x28, "Occurrence"),
    (0x29, "One"),
    (0x2A, "OneOrMore"),
    (0x2B, "OneOrN"),
    (0x2C, "Path"),
    (0x2D, "Permanent"),
    (0x2E, "Replace"),
    (0x2F, "RTProperties"),
    (0x30, "Scope"),
    (0x31, "Size"),
    (0x32, "time"),
    (0x33, "Title"),
    (0x34, "TStamp"),
    (0x35, "Type"),
    (0x36, "Value"),
    (0x37, "VerDTD"),
    (0x38, "VerNo"),
    (0x39, "xml"),
    (0x3A, "ZeroOrMore"),
    (0x3B, "ZeroOrN"),
    (0x3C, "ZeroOrOne"),
];

const METINF_NS: &str = "syncml:metinf";
const DEVINF_NS: &str = "syncml:devinf";

const METINF11_PAGE: CodePage = CodePage {
    number: 1,
    namespace: METINF_NS,
    tags: &[METINF11_TAGS],
};
const METINF12_PAGE: CodePage = CodePage {
    number: 1,
    namespace: METINF_NS,
    tags: &[METINF12_ADDED, METINF11_TAGS],
};
const DMDDF12_PAGE: CodePage = CodePage {
    number: 2,
    namespace: "syncml:dmddf1.2",
    tags: &[DMDDF12_TAGS],
};

static SYNCML10: Language = Language {
    name: "SyncML 1.0",
    pages: &[
        CodePage {
            number: 0,
            namespace: "SYNCML:SYNCML1.0",
            tags: &[SYNCML11_TAGS],
        },
        METINF11_PAGE,
    ],
};
static SYNCML11: Language = Language {
    name: "SyncML 1.1",
    pages: &[
        CodePage {
            number: 0,
            namespace: "SYNCML:SYNCML1.1",
            tags: &[SYNCML11_TAGS],
        },
        METINF11_PAGE,
    ],
};
/// SyncML 1.2; the DDF page is accepted inline too (libwbxml only reads it as
/// a document nested in OPAQUE data).
pub(super) static SYNCML12: Language = Language {
    name: "SyncML 1.2",
    pages: &[
        CodePage {
            number: 0,
            namespace: "SYNCML:SYNCML1.2",
            tags: &[SYNCML12_ADDED, SYNCML11_TAGS],
        },
        METINF12_PAGE,
        DMDDF12_PAGE,
    ],
};
static DEVINF10: Language = Language {
    name: "DevInf 1.0",
    pages: &[CodePage {
        number: 0,
        namespace: DEVINF_NS,
        tags: &[DEVINF11_TAGS],
    }],
};
static DEVINF11: Language = Language {
    name: "DevInf 1.1",
    pages: &[CodePage {
        number: 0,
        namespace: DEVINF_NS,
        tags: &[DEVINF11_TAGS],
    }],
};
static DEVINF12: Language = Language {
    name: "DevInf 1.2",
    pages: &[CodePage {
        number: 0,
        namespace: DEVINF_NS,
        tags: &[DEVINF12_CHANGED, DEVINF11_TAGS],
    }],
};
static METINF10: Language = Language {
    name: "MetInf 1.0",
    pages: &[METINF11_PAGE],
};
static METINF11: Language = Language {
    name: "MetInf 1.1",
    pages: &[METINF11_PAGE],
};
static METINF12: Language = Language {
    name: "MetInf 1.2",
    pages: &[METINF12_PAGE],
};
static DMDDF12: Language = Language {
    name: "DM DDF 1.2",
    pages: &[DMDDF12_PAGE],
};

/// A public id: its registered number (MetInf 1.0/1.1 and the DDF have none),
/// its formal public identifier, and the language it selects.
struct PublicIdEntry {
    number: Option<u32>,
    name: &'static str,
    language: &'static Language,
}

const PUBLIC_IDS: [PublicIdEntry; 10] = [
    PublicIdEntry {
        number: Some(0x0FD1),
        name: "-//SYNCML//DTD SyncML 1.0//EN",
        language: &SYNCML10,
    },
    PublicIdEntry {
        number: Some(0x0FD2),
        name: "-//SYNCML//DTD DevInf 1.0//EN",
        language: &DEVINF10,
    },
    PublicIdEntry {
        number: None,
        name: "-//SYNCML//DTD MetInf 1.0//EN",
        language: &METINF10,
    },
    PublicIdEntry {
        number: Some(0x0FD3),
        name: "-//SYNCML//DTD SyncML 1.1//EN",
        language: &SYNCML11,
    },
    PublicIdEntry {
        number: Some(0x0FD4),
        name: "-//SYNCML//DTD DevInf 1.1//EN",
        language: &DEVINF11,
    },
    PublicIdEntry {
        number: None,
        name: "-//SYNCML//DTD MetInf 1.1//EN",
        language: &METINF11,
    },
    PublicIdEntry {
        number: Some(0x1201),
        name: "-//SYNCML//DTD SyncML 1.2//EN",
        language: &SYNCML12,
    },
    PublicIdEntry {
        number: Some(0x1202),
        name: "-//SYNCML//DTD MetInf 1.2//EN",
        language: &METINF12,
    },
    PublicIdEntry {
        number: Some(0x1203),
        name: "-//SYNCML//DTD DevInf 1.2//EN",
        language: &DEVINF12,
    },
    PublicIdEntry {
        number: None,
        name: "-//OMA//DTD-DM-DDF 1.2//EN",
        language: &DMDDF12,
    },
];

/// What the string public ids of the family start with (ignoring case).
pub(super) const FAMILY_PREFIXES: [&str; 2] = ["-//SYNCML//DTD", "-//OMA//DTD-DM-DDF"];

/// The language of a numeric public id.
pub(super) fn language_by_number(number: u32) -> Option<&'static Language> {
    PUBLIC_IDS
        .iter()
        .find(|entry| entry.number == Some(number))
        .map(|entry| entry.language)
}

/// The language of a string public id (ignoring case, surrounding blanks and
/// NULs).
pub(super) fn language_by_name(name: &str) -> Option<&'static Language> {
    let name = name.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\0');
    PUBLIC_IDS
        .iter()
        .find(|entry| entry.name.eq_ignore_ascii_case(name))
        .map(|entry| entry.language)
}
