//! What the gateway hands to the operations: the action (routed by `Version` and `Action`),
//! the signature style, the caller, and Alibaba's timestamp format.

use time::OffsetDateTime;

use super::accounts::Role;
use super::error::ApiError;
use crate::alicloud::sign;

pub const VPC_VERSION: &str = "2016-04-28";
pub const STS_VERSION: &str = "2015-04-01";

/// The operations the emulator serves; the `Version` picks the product, the `Action` the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    OpenPublicIpAddressPoolService,
    GetPublicIpAddressPoolServiceStatus,
    CreatePublicIpAddressPool,
    DeletePublicIpAddressPool,
    UpdatePublicIpAddressPoolAttribute,
    ListPublicIpAddressPools,
    AddPublicIpAddressPoolCidrBlock,
    DeletePublicIpAddressPoolCidrBlock,
    ListPublicIpAddressPoolCidrBlocks,
    TagResources,
    UnTagResources,
    ListTagResources,
    MoveResourceGroup,
    AllocateEipAddress,
    ReleaseEipAddress,
    ModifyEipAddressAttribute,
    DeletionProtection,
    DescribeEipAddresses,
    AssumeRole,
    GetCallerIdentity,
}

/// VPC `2016-04-28` actions by name (names are case-sensitive on Alibaba's gateway).
const VPC_ACTIONS: &[(&str, Action)] = &[
    (
        "OpenPublicIpAddressPoolService",
        Action::OpenPublicIpAddressPoolService,
    ),
    (
        "GetPublicIpAddressPoolServiceStatus",
        Action::GetPublicIpAddressPoolServiceStatus,
    ),
    (
        "CreatePublicIpAddressPool",
        Action::CreatePublicIpAddressPool,
    ),
    (
        "DeletePublicIpAddressPool",
        Action::DeletePublicIpAddressPool,
    ),
    (
        "UpdatePublicIpAddressPoolAttribute",
        Action::UpdatePublicIpAddressPoolAttribute,
    ),
    ("ListPublicIpAddressPools", Action::ListPublicIpAddressPools),
    (
        "AddPublicIpAddressPoolCidrBlock",
        Action::AddPublicIpAddressPoolCidrBlock,
    ),
    (
        "DeletePublicIpAddressPoolCidrBlock",
        Action::DeletePublicIpAddressPoolCidrBlock,
    ),
    (
        "ListPublicIpAddressPoolCidrBlocks",
        Action::ListPublicIpAddressPoolCidrBlocks,
    ),
    ("TagResources", Action::TagResources),
    ("UnTagResources", Action::UnTagResources),
    ("ListTagResources", Action::ListTagResources),
    ("MoveResourceGroup", Action::MoveResourceGroup),
    ("AllocateEipAddress", Action::AllocateEipAddress),
    ("ReleaseEipAddress", Action::ReleaseEipAddress),
    (
        "ModifyEipAddressAttribute",
        Action::ModifyEipAddressAttribute,
    ),
    ("DeletionProtection", Action::DeletionProtection),
    ("DescribeEipAddresses", Action::DescribeEipAddresses),
];

impl Action {
    pub(super) fn lookup(version: &str, action: &str) -> Result<Action, ApiError> {
        let found = match version {
            VPC_VERSION => VPC_ACTIONS
                .iter()
                .find(|(name, _)| *name == action)
                .map(|(_, a)| *a),
            STS_VERSION => match action {
                "AssumeRole" => Some(Action::AssumeRole),
                "GetCallerIdentity" => Some(Action::GetCallerIdentity),
                _ => None,
            },
            _ => {
                return Err(ApiError::new(
                    400,
                    "InvalidVersion",
                    format!("Specified parameter Version \"{version}\" is not valid."),
                ));
            }
        };
        found.ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidAction.NotFound",
                format!(
                    "Specified api \"{action}\" is not found in version {version}, please check your url and method."
                ),
            )
        })
    }

    /// Default endpoint of the product, used as `HostId` when the request has no `Host`.
    pub fn product_host(self) -> &'static str {
        match self {
            Action::AssumeRole | Action::GetCallerIdentity => "sts.aliyuncs.com",
            _ => "vpc.aliyuncs.com",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureStyle {
    V1,
    V3,
}

impl SignatureStyle {
    pub fn method_name(self) -> &'static str {
        match self {
            SignatureStyle::V1 => "HMAC-SHA1",
            SignatureStyle::V3 => sign::V3_ALGORITHM,
        }
    }
}

/// Who is calling, once the signature checked out.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
    /// `Some` for temporary keys from `AssumeRole` or ECS metadata.
    pub assumed: Option<(Role, String)>,
}

/// Temporary credentials issued by `AssumeRole` or the ECS metadata path.
#[derive(Clone)]
pub struct TempCredential {
    pub secret: String,
    pub token: String,
    pub role: Role,
    pub session_name: String,
    pub expiration: OffsetDateTime,
}

const TIMESTAMP_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// Alibaba's timestamp form, `YYYY-MM-DDThh:mm:ssZ` (UTC).
pub fn format_timestamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP_FORMAT)
        .unwrap_or_default()
}

pub(super) fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(s, TIMESTAMP_FORMAT)
        .map(|t| t.assume_utc())
        .ok()
        .or_else(|| OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok())
}
