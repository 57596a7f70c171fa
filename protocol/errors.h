// errors.h — every error text dq sends, exactly as Redis 7 spells it.
//
// Owns: the error strings (without the leading '-' and trailing CRLF). Clients parse the
// first word (ERR, WRONGTYPE, NOAUTH, EXECABORT, MOVED, ...), so the text must match Redis.
// Must not include: anything but <string_view>.
// Texts that take a parameter are fmt format strings and named kFmt*.
#pragma once
#include <string_view>

namespace dq::err {

using sv = std::string_view;

// --- protocol (written, then the connection is closed) ---
inline constexpr sv kProtoInvalidMultibulk = "ERR Protocol error: invalid multibulk length";
inline constexpr sv kProtoInvalidBulk = "ERR Protocol error: invalid bulk length";
inline constexpr sv kProtoUnauthMultibulk = "ERR Protocol error: unauthenticated multibulk length";
inline constexpr sv kProtoUnauthBulk = "ERR Protocol error: unauthenticated bulk length";
inline constexpr sv kProtoBigMbulkCount = "ERR Protocol error: too big mbulk count string";
inline constexpr sv kProtoBigBulkCount = "ERR Protocol error: too big bulk count string";
inline constexpr sv kProtoBigInline = "ERR Protocol error: too big inline request";
inline constexpr sv kProtoUnbalancedQuotes = "ERR Protocol error: unbalanced quotes in request";
inline constexpr sv kFmtProtoExpectedDollar = "ERR Protocol error: expected '$', got '{}'";

// --- dispatch gates ---
inline constexpr sv kFmtUnknownCommand = "ERR unknown command '{}', with args beginning with: {}";
inline constexpr sv kFmtUnknownSubcommand = "ERR unknown subcommand '{}'. Try {} HELP.";
inline constexpr sv kFmtWrongArity = "ERR wrong number of arguments for '{}' command";
inline constexpr sv kNoAuth = "NOAUTH Authentication required.";
inline constexpr sv kWrongPass = "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr sv kAuthNoPassword =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr sv kFmtSubscribeContext =
    "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
    "allowed in this context";
inline constexpr sv kOom = "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr sv kLoading = "LOADING Redis is loading the dataset in memory";

// --- values and arguments ---
inline constexpr sv kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr sv kNotInteger = "ERR value is not an integer or out of range";
inline constexpr sv kNotFloat = "ERR value is not a valid float";
inline constexpr sv kSyntax = "ERR syntax error";
inline constexpr sv kOverflow = "ERR increment or decrement would overflow";
inline constexpr sv kIncrNanInf = "ERR increment would produce NaN or Infinity";
inline constexpr sv kNoSuchKey = "ERR no such key";
inline constexpr sv kOutOfRange = "ERR index out of range";
inline constexpr sv kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr sv kInvalidDbIndex = "ERR invalid DB index";
inline constexpr sv kSameObject = "ERR source and destination objects are the same";
inline constexpr sv kFmtInvalidExpire = "ERR invalid expire time in '{}' command";
inline constexpr sv kStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr sv kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr sv kTimeoutNotFloat = "ERR timeout is not a float or out of range";
inline constexpr sv kTimeoutNegative = "ERR timeout is negative";
inline constexpr sv kCursorInvalid = "ERR invalid cursor";
inline constexpr sv kCountPositive = "ERR count should be greater than 0";
inline constexpr sv kFmtMustBePositive = "ERR {} must be positive";

// --- DUMP / RESTORE / persistence ---
inline constexpr sv kDumpPayload = "ERR DUMP payload version or checksum are wrong";
inline constexpr sv kBusyKey = "BUSYKEY Target key name already exists.";
inline constexpr sv kBadDataFormat = "ERR Bad data format";
inline constexpr sv kInvalidTtl = "ERR Invalid TTL value, must be >= 0";
inline constexpr sv kInvalidIdletime = "ERR Invalid IDLETIME value, must be >= 0";
inline constexpr sv kInvalidFreq = "ERR Invalid FREQ value, must be >= 0 and <= 255";
inline constexpr sv kBgsaveInProgress = "ERR Background save already in progress";
inline constexpr sv kMisconf =
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
    "disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB "
    "error.";
inline constexpr sv kNxXxGtLt =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr sv kGtLtNx = "ERR GT, LT, and/or NX options at the same time are not compatible";
inline constexpr sv kGetexPersist = "ERR syntax error";
inline constexpr sv kLcsBothLenIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr sv kSelectNotAllowedCluster = "ERR SELECT is not allowed in cluster mode";
inline constexpr sv kIntOutOfRange =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr sv kInvalidFirstDbIndex = "ERR invalid first DB index";
inline constexpr sv kInvalidSecondDbIndex = "ERR invalid second DB index";
inline constexpr sv kFmtUnsupportedOption = "ERR Unsupported option {}";
inline constexpr sv kGtAndLt = "ERR GT and LT options at the same time are not compatible";
inline constexpr sv kLfuNotSelected =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";
inline constexpr sv kLfuSelectedNoIdle =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";

// --- transactions ---
inline constexpr sv kMultiNested = "ERR MULTI calls can not be nested";
inline constexpr sv kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr sv kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr sv kWatchInMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr sv kExecAbort = "EXECABORT Transaction discarded because of previous errors.";
inline constexpr sv kFmtNotAllowedInMulti = "ERR Command not allowed inside a transaction";

// --- connection / server ---
inline constexpr sv kNoProto = "NOPROTO unsupported protocol version";
inline constexpr sv kProtocolVersionNotInteger =
    "ERR Protocol version is not an integer or out of range";
inline constexpr sv kClientNameSpaces =
    "ERR Client names cannot contain spaces, newlines or special characters.";
inline constexpr sv kNoSuchClient = "ERR No such client";
inline constexpr sv kFmtConfigUnknownParam =
    "ERR Unknown option or number of arguments for CONFIG SET - '{}'";
inline constexpr sv kFmtConfigBadValue =
    "ERR CONFIG SET failed (possibly related to argument '{}') - {}";
inline constexpr sv kFmtConfigDuplicate =
    "ERR CONFIG SET failed (possibly related to argument '{}') - duplicate parameter";
inline constexpr sv kConfigRewriteNoFile = "ERR The server is running without a config file";
inline constexpr sv kInvalidResetStat = "ERR syntax error";
inline constexpr sv kFmtInvalidIntArg = "ERR {}";
inline constexpr sv kErrShutdown = "ERR Errors trying to SHUTDOWN. Check logs.";
inline constexpr sv kGetkeysInvalidCommand = "ERR Invalid command specified";
inline constexpr sv kGetkeysInvalidArgs = "ERR Invalid number of arguments specified for command";
inline constexpr sv kGetkeysNoKeys = "ERR The command has no key arguments";
inline constexpr sv kFmtConfigProtected =
    "ERR CONFIG SET failed (possibly related to argument '{}') - can't set protected config";
inline constexpr sv kFmtConfigImmutable =
    "ERR CONFIG SET failed (possibly related to argument '{}') - can't set immutable config";
inline constexpr sv kConfigRewriteFmt = "ERR Rewriting config file: {}";
inline constexpr sv kFmtClientInfoSpaces =
    "ERR {} cannot contain spaces, newlines or special characters.";
inline constexpr sv kClientKillTypeUnknown = "ERR Unknown client type '{}'";
inline constexpr sv kClientIdNotInteger = "ERR client-id should be greater than 0";
// CLIENT TRACKING / CACHING (server-assisted client-side caching).
inline constexpr sv kTrackingRedirectMissing =
    "ERR The client ID you want redirect to does not exist";
inline constexpr sv kTrackingRedirectTwice =
    "ERR A client can only redirect to a single other client";
inline constexpr sv kTrackingPrefixNeedsBcast =
    "ERR PREFIX option requires BCAST mode to be enabled";
inline constexpr sv kTrackingSwitchBcast =
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
    "re-enabling it with a different mode.";
inline constexpr sv kTrackingOptBcast = "ERR OPTIN and OPTOUT are not compatible with BCAST";
inline constexpr sv kTrackingOptinOptout = "ERR You can't specify both OPTIN mode and OPTOUT mode";
inline constexpr sv kTrackingSwitchOpt =
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
    "re-enabling it with a different mode.";
inline constexpr sv kCachingNotTracking =
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
    "OPTOUT mode enabled";
inline constexpr sv kCachingYesNeedsOptin =
    "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
inline constexpr sv kCachingNoNeedsOptout =
    "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";
inline constexpr sv kTimeoutNotInteger = "ERR timeout is not an integer or out of range";
inline constexpr sv kNoScript = "NOSCRIPT No matching script. Please use EVAL.";
// Other clients while a script runs past busy-reply-threshold (EVAL / FCALL).
inline constexpr sv kBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
inline constexpr sv kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
inline constexpr sv kNotBusy = "NOTBUSY No scripts in execution right now.";
inline constexpr sv kUnkillable =
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
    "NOSAVE command.";

// --- bitmaps ---
inline constexpr sv kBitOffsetNotInteger = "ERR bit offset is not an integer or out of range";
inline constexpr sv kBitNotInteger = "ERR bit is not an integer or out of range";
inline constexpr sv kBitposBit = "ERR The bit argument must be 1 or 0.";
inline constexpr sv kBitfieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
inline constexpr sv kBitfieldOverflow = "ERR Invalid OVERFLOW type specified";
inline constexpr sv kBitfieldRoGetOnly = "ERR BITFIELD_RO only supports the GET subcommand";
inline constexpr sv kBitopNotOneKey = "ERR BITOP NOT must be called with a single source key.";

// --- scripts and functions (Redis 7) ---
inline constexpr sv kScriptWriteFlagRo =
    "ERR Can not execute a script with write flag using *_ro command.";
inline constexpr sv kFunctionNotFound = "ERR Function not found";
inline constexpr sv kFunctionBadNumkeys = "ERR Bad number of keys provided";
inline constexpr sv kNumkeysNegative = "ERR Number of keys can't be negative";
inline constexpr sv kNumkeysTooBig = "ERR Number of keys can't be greater than number of args";
inline constexpr sv kLibraryNotFound = "ERR Library not found";
inline constexpr sv kFunctionCodeMissing = "ERR Function code is missing";
inline constexpr sv kFmtFunctionUnknownOption = "ERR Unknown option given: {}";
inline constexpr sv kFunctionListNoName = "ERR library name argument was not given";
inline constexpr sv kFmtFunctionListUnknownArg = "ERR Unknown argument {}";
inline constexpr sv kFunctionFlushMode = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option";
inline constexpr sv kFunctionRestorePolicy =
    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.";
inline constexpr sv kFunctionDumpPayload = "ERR DUMP payload version or checksum are wrong";
inline constexpr sv kFmtSubcommandSyntax =
    "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.";

// --- HyperLogLog (Redis 7's texts; a string that is not an HLL gets a WRONGTYPE of its own) ---
inline constexpr sv kHllNotValid = "WRONGTYPE Key is not a valid HyperLogLog string value.";
inline constexpr sv kHllCorrupt = "INVALIDOBJ Corrupted HLL object detected";
inline constexpr sv kHllKeyMissing = "ERR The specified key does not exist";
inline constexpr sv kHllNotSparse = "ERR HLL encoding is not sparse";
inline constexpr sv kFmtPfdebugUnknown = "ERR Unknown PFDEBUG subcommand '{}'";

}  // namespace dq::err
