//! An official's training record as people read it: periods in agencies, standing in each
//! program, certificates, exemptions. Plain data with no I/O: `ssr::people_record` and
//! `ssr::programs` fill it from the database, `api` sends it as is, the pages show it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An exemption, in force or withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExemptionDto {
    pub id: i64,
    pub program_id: i64,
    pub program_name: String,
    pub person_id: i64,
    pub person_code: String,
    pub person_name: String,
    pub agency_name: String,
    pub reason: String,
    pub approved_by: String,
    pub since: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
}

/// A period of an official in an agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodDto {
    pub agency_name: String,
    pub position: String,
    pub enforcement: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A course of a program for one official.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseStanding {
    pub course_id: String,
    pub title: String,
    pub completed_on: Option<NaiveDate>,
    pub certificate: Option<String>,
    pub held: bool,
    /// Not held only because the certificate was earned on a version a substantive change (a
    /// law change) replaced: the program counts the current version only.
    pub outdated: bool,
}

/// One program for one official.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramStanding {
    pub program_id: i64,
    pub program: String,
    pub deadline: NaiveDate,
    pub in_population: bool,
    /// `covered`, `exempt` or `missing`
    pub status: String,
    pub exemption: Option<String>,
    /// The exemption in force, which the viewer may withdraw.
    pub exemption_id: Option<i64>,
    pub courses: Vec<CourseStanding>,
}

/// A certificate, as the official's page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateDto {
    pub number: String,
    pub course: String,
    pub issued_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub revoked: bool,
    pub revoked_on: Option<NaiveDate>,
    pub revoked_reason: Option<String>,
}

/// Everything about one official's training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    /// The past date the standing is shown at; `None` = today.
    pub as_of: Option<NaiveDate>,
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub agency_name: String,
    pub position: String,
    pub enforcement: bool,
    pub active: bool,
    pub programs: Vec<ProgramStanding>,
    pub certificates: Vec<CertificateDto>,
    pub history: Vec<PeriodDto>,
    /// Every exemption of this official, in force or withdrawn, newest first.
    pub exemptions: Vec<ExemptionDto>,
    /// Whether the viewer may record and withdraw this official's exemptions.
    pub can_manage: bool,
}
