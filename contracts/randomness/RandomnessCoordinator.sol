// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IRandomnessConsumer} from "../interfaces/IRandomnessConsumer.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../interfaces/IVault.sol";
import {VRFVerifier} from "./VRFVerifier.sol";

/// @title RandomnessCoordinator
/// @notice Chainlink-VRF-compatible randomness for Fairstake games, backed by provider bonds.
/// Governance (the owner, a TimelockController in deployment) registers oracle keys and
/// consumers, each consumer with the key its requests use; a registered consumer requests;
/// anyone holding a valid ECVRF proof fulfils before the deadline; anyone expires a request after it. Storage holds one word per live request: the
/// hash of its RequestCommitment, which includes what it reserved from the bond and who its
/// expiry pays (fulfil and expire take the commitment back in calldata).
///
/// Why bonds (docs/randomness-economics.md has the arithmetic): only the key's holder can
/// produce a result, and it learns the result before anyone else. If an unfulfilled request cost
/// it nothing, it could publish what suits it and withhold the rest. So every request reserves
/// from its key's bond what its expiry must pay by the consumer's rules (a Dice bet: its win
/// payout), fulfilment releases the reservation and expiry pays it out. A key's holder can
/// therefore never gain by withholding, whatever bets, tickets or shares it also holds, and the
/// bond caps what the key can leave open: a request the free bond cannot cover is refused.
///
/// Deadlines count both blocks and seconds: a request expires once both have passed, so neither
/// a fast chain (blocks) nor a sequencer that stops producing blocks (time) gets an honest oracle
/// slashed; and in any case once twice the timeout in seconds has passed, so a request always
/// resolves by `maxFulfilDelay` after it was made. The request block's hash can be stored on
/// chain while it is readable, so a deadline may lie beyond BLOCKHASH's 256 blocks.
///
/// Deregistering a key stops new requests for it; requests already made with it stay
/// fulfillable with it until their deadline, so rotating a key never turns them into timeouts.
/// Rotating a consumer's key (`setConsumer(consumer, newKey)`) changes only its future requests:
/// a pending request keeps its key in its commitment, and its id holds no key.
///
/// The callback runs with exactly the requested gas or the fulfil reverts, so a fulfiller cannot
/// make a consumer's callback fail by under-supplying gas; a consumer that reverts, runs out of gas
/// or returns huge data cannot make the fulfil fail or cost the fulfiller more than its allowance.
contract RandomnessCoordinator is IRandomnessCoordinator, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Most random words one request may ask for.
    uint32 public constant MAX_NUM_WORDS = 500;
    /// @notice Gas given to onRandomnessExpired: enough for a game to refund its stakes.
    uint32 public constant EXPIRY_CALLBACK_GAS = 200_000;
    /// @notice Largest timeout in blocks (a deadline beyond 256 blocks needs the stored hash).
    uint64 public constant MAX_TIMEOUT_BLOCKS = 1_000_000;
    /// @notice Largest timeout in seconds; a request always resolves within twice this.
    uint64 public constant MAX_TIMEOUT_SECONDS = 6 hours;
    /// @notice Time between starting to unbond and withdrawing: longer than any request can stay
    /// open (2 * MAX_TIMEOUT_SECONDS), so a bond cannot leave while a request it backs is pending.
    uint64 public constant UNBOND_DELAY = 2 days;
    /// @notice Most a key's bond in one token may hold, less what is unbonding (free + reserved);
    /// a deposit beyond it reverts with BondAboveCap. 2^120 - 1 base units: over 10^18 tokens of
    /// 18 decimals.
    uint256 public constant MAX_BOND = type(uint120).max;
    /// @notice Where burnt slashes go (Jackpot draws): an address nobody can spend from.
    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;
    /// @dev Kept back for the CALL itself (warm account access plus the check's own opcodes) when
    /// checking that the callee can be given its whole allowance.
    uint256 private constant CALL_OVERHEAD_GAS = 1_000;
    /// @dev BondBook's layout in its slot (Solidity packs from the low bits): free in bits 0..119,
    /// reserved in 120..239, keyRegistered bit 240, listed bit 248. Deposits, requests and
    /// fulfilments read and write the slot as one word (`_readBook`, `_writeBook`); since free +
    /// reserved <= MAX_BOND, adding to free carries nothing into reserved, and moving an amount
    /// between them (`word -/+ amount`, `word +/- amount << AMOUNT_BITS`) touches nothing else.
    uint256 private constant AMOUNT_BITS = 120;
    uint256 private constant KEY_REGISTERED_BIT = 1 << 240;
    uint256 private constant LISTED_BIT = 1 << 248;

    /// @notice Where slashes are paid in (beneficiaries' balances, bankrolls).
    IVault public immutable vault;
    /// @notice Blocks after the request block until a request may be expired.
    uint64 public immutable timeoutBlocks;
    /// @notice Seconds after the request until a request may be expired.
    uint64 public immutable timeoutSeconds;
    /// @notice Largest callbackGasLimit a consumer may request.
    uint32 public immutable maxCallbackGasLimit;

    /// @dev One slot per oracle key: the address that owns its bonds, and whether it may be
    /// requested from. A key once registered keeps its operator (its bonds outlive it).
    struct KeyState {
        address operator;
        bool registered;
    }

    /// @dev A key's bond in one token, first slot: all a request, a fulfilment and an expiry read
    /// and write, so a request reads one slot of the bond and no other key state. `free` and
    /// `reserved` are kept rather than a total (the total is free + reserved + unbonding), so
    /// whether a request is covered needs neither the total nor the unbonding amount.
    /// `keyRegistered` mirrors `_keys[keyHash].registered` for every token in
    /// `_bondTokens[keyHash]` (`listed`): (de)registering a key rewrites it in each, so a request
    /// with a reservation learns from this slot alone that its key may be requested from. A slot
    /// not listed holds no bond (a deposit lists it). free + reserved <= MAX_BOND, which a deposit
    /// checks, so neither field can overflow when a reservation moves between them.
    struct BondBook {
        uint120 free;
        uint120 reserved;
        bool keyRegistered;
        bool listed;
    }

    /// @dev A key's bond in one token, second slot: what is leaving. Touched only by unbonding,
    /// withdrawing and views. Each unbonding adds at most MAX_BOND, so 192 bits cannot fill up.
    struct Unbonding {
        uint192 amount;
        uint64 unbondableAt;
    }

    /// @dev Each consumer's oracle key, zero for an address that may not request: one slot says
    /// both whether the caller may request and with which key, so a request reads it once and a
    /// consumer stores no key of its own.
    mapping(address consumer => bytes32 keyHash) private _consumerKeys;
    mapping(bytes32 keyHash => KeyState) private _keys;
    mapping(uint256 requestId => bytes32 commitmentHash) private _commitments;
    mapping(bytes32 keyHash => mapping(address token => BondBook)) private _bonds;
    mapping(bytes32 keyHash => mapping(address token => Unbonding)) private _unbonding;
    /// @dev Every token the key ever held a bond in (each once): the slots whose `keyRegistered`
    /// (de)registering the key rewrites. Only tokens the Vault allowed can be bonded, so
    /// governance bounds the list.
    mapping(bytes32 keyHash => address[] tokens) private _bondTokens;
    mapping(uint256 blockNum => bytes32) private _blockhashes;

    /// @param initialOwner governance (a TimelockController in deployment)
    /// @param vault_ the Vault slashes are paid into
    /// @param timeoutBlocks_ blocks from request to deadline, 1..MAX_TIMEOUT_BLOCKS
    /// @param timeoutSeconds_ seconds from request to deadline, 1..MAX_TIMEOUT_SECONDS
    /// @param maxCallbackGasLimit_ cap on the callback gas a consumer may request
    constructor(
        address initialOwner,
        IVault vault_,
        uint64 timeoutBlocks_,
        uint64 timeoutSeconds_,
        uint32 maxCallbackGasLimit_
    ) Ownable(initialOwner) {
        if (address(vault_) == address(0)) revert ZeroAddress();
        if (
            timeoutBlocks_ == 0 || timeoutBlocks_ > MAX_TIMEOUT_BLOCKS || timeoutSeconds_ == 0
                || timeoutSeconds_ > MAX_TIMEOUT_SECONDS
        ) revert BadTimeout(timeoutBlocks_, timeoutSeconds_);
        vault = vault_;
        timeoutBlocks = timeoutBlocks_;
        timeoutSeconds = timeoutSeconds_;
        maxCallbackGasLimit = maxCallbackGasLimit_;
    }

    // ------------------------------------------------------------------ governance

    /// @notice Owner only: accept requests for, and proofs made with, the secret key of `pk`.
    /// @param operator owns the key's bonds (unbonds and withdraws them)
    /// @return keyHash keccak256(abi.encode(pk)), the id consumers request with
    function registerKey(uint256[2] calldata pk, address operator) external onlyOwner returns (bytes32 keyHash) {
        if (!VRFVerifier.isOnCurve(pk[0], pk[1])) revert KeyNotOnCurve(pk);
        if (operator == address(0)) revert ZeroAddress();
        keyHash = _hashOfKey(pk);
        KeyState storage key = _keys[keyHash];
        if (key.registered) revert KeyAlreadyRegistered(keyHash);
        // a key registered again keeps the operator that owns its bonds
        if (key.operator == address(0)) key.operator = operator;
        key.registered = true;
        _setKeyRegisteredInBonds(keyHash, true);
        emit OracleKeyRegistered(keyHash, pk, key.operator);
    }

    /// @notice Owner only: stop accepting new requests for `keyHash`. Requests already made
    /// with it stay fulfillable with it until their deadline, and its bonds stay its operator's.
    function deregisterKey(bytes32 keyHash) external onlyOwner {
        if (!_keys[keyHash].registered) revert UnknownKey(keyHash);
        _keys[keyHash].registered = false;
        _setKeyRegisteredInBonds(keyHash, false);
        emit OracleKeyDeregistered(keyHash);
    }

    /// @notice Owner only: let `consumer` request with the oracle key `keyHash` (a new key for a
    /// consumer rotates it), or forbid it to request (zero). Only later requests use the new key:
    /// pending ones keep the key in their commitment, and a request id holds no key, so neither
    /// a rotation nor a deregistration can make a pending request look delivered or expired.
    /// @param consumer the contract that requests (a game)
    /// @param keyHash the oracle key its requests use; zero deregisters it
    function setConsumer(address consumer, bytes32 keyHash) external onlyOwner {
        _consumerKeys[consumer] = keyHash;
        emit ConsumerSet(consumer, keyHash);
    }

    // ------------------------------------------------------------------ bonds

    /// @notice Anyone: add `amount` of `token` to the bond of a key that was ever registered.
    /// ETH: msg.value == amount. ERC-20s: the amount received is added.
    /// Reverts with BondAboveCap when the bond less what is unbonding would exceed MAX_BOND.
    function depositBond(bytes32 keyHash, address token, uint256 amount) external payable nonReentrant {
        KeyState storage key = _keys[keyHash];
        if (key.operator == address(0)) revert UnknownKey(keyHash);
        if (amount == 0) revert ZeroAmount();
        if (!vault.isTokenAllowed(token)) revert TokenNotAllowed(token);
        uint256 received;
        if (token == address(0)) {
            if (msg.value != amount) revert WrongEthValue(amount, msg.value);
            received = amount;
        } else {
            if (msg.value != 0) revert WrongEthValue(0, msg.value);
            uint256 before = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            received = IERC20(token).balanceOf(address(this)) - before;
        }
        // slither-disable-next-line incorrect-equality -- nothing arrived (a 0-delivering token), not a balance check
        if (received == 0) revert ZeroAmount();
        BondBook storage book = _bonds[keyHash][token];
        uint256 word = _readBook(book);
        uint256 bonded = uint256(uint120(word)) + uint120(word >> AMOUNT_BITS);
        if (received > MAX_BOND - bonded) revert BondAboveCap(bonded, received, MAX_BOND);
        if (word & LISTED_BIT == 0) {
            _bondTokens[keyHash].push(token);
            word |= key.registered ? LISTED_BIT | KEY_REGISTERED_BIT : LISTED_BIT;
        }
        unchecked {
            // free + reserved + received <= MAX_BOND, checked above
            _writeBook(book, word + received);
        }
        emit BondDeposited(keyHash, token, msg.sender, received);
    }

    /// @notice Key operator only: stop `amount` of the free bond from backing new requests; it can
    /// be withdrawn UNBOND_DELAY from now (the whole unbonding amount waits for the latest start).
    function requestUnbond(bytes32 keyHash, address token, uint256 amount) external {
        _onlyOperator(keyHash);
        if (amount == 0) revert ZeroAmount();
        BondBook storage book = _bonds[keyHash][token];
        uint256 word = _readBook(book);
        uint256 free = uint120(word);
        if (amount > free) revert BondTooSmall(keyHash, token, free, amount);
        unchecked {
            _writeBook(book, word - amount);
        }
        Unbonding storage leaving = _unbonding[keyHash][token];
        leaving.amount += uint192(amount); // amount <= free <= MAX_BOND
        uint64 at = uint64(block.timestamp) + UNBOND_DELAY;
        leaving.unbondableAt = at;
        emit BondUnbonding(keyHash, token, amount, at);
    }

    /// @notice Key operator only: withdraw the whole unbonding amount to `to` once it is due.
    function withdrawBond(bytes32 keyHash, address token, address to) external nonReentrant {
        _onlyOperator(keyHash);
        if (to == address(0)) revert ZeroAddress();
        Unbonding storage leaving = _unbonding[keyHash][token];
        uint256 amount = leaving.amount;
        if (amount == 0) revert NothingUnbonding();
        if (block.timestamp < leaving.unbondableAt) revert StillUnbonding(leaving.unbondableAt);
        // it left free + reserved when it started unbonding: the total falls by it here
        leaving.amount = 0;
        emit BondWithdrawn(keyHash, token, to, amount);
        _push(token, to, amount);
    }

    /// @notice Key operator only: hand the key's bonds over to `operator`.
    function setKeyOperator(bytes32 keyHash, address operator) external {
        _onlyOperator(keyHash);
        if (operator == address(0)) revert ZeroAddress();
        _keys[keyHash].operator = operator;
        emit KeyOperatorSet(keyHash, operator);
    }

    /// @inheritdoc IRandomnessCoordinator
    function storeBlockhash(uint256 blockNum) external {
        bytes32 hash = blockhash(blockNum);
        if (hash == 0 || _blockhashes[blockNum] != 0) revert CannotStoreBlockhash(blockNum);
        _blockhashes[blockNum] = hash;
        emit BlockhashStored(blockNum, hash);
    }

    // ------------------------------------------------------------------ requests

    /// @inheritdoc IRandomnessCoordinator
    function requestRandomness(
        uint32 callbackGasLimit,
        uint32 numWords,
        Slash calldata slash,
        uint64 salt,
        bytes32 data
    ) external returns (uint256 requestId) {
        // The consumer's slot is read anyway (may it request?); it also names the key, so the
        // consumer need not read and pass a copy of its own.
        bytes32 keyHash = _consumerKeys[msg.sender];
        if (keyHash == 0) revert NotConsumer(msg.sender);
        // A reservation reads its bond slot anyway, and that slot says whether the key is
        // registered (or, for a token the key holds no bond in, that it holds nothing).
        BondBook storage book = _bonds[keyHash][slash.token];
        uint256 bookWord = slash.amount != 0 ? _readBook(book) : 0;
        if (bookWord & KEY_REGISTERED_BIT == 0 && !_keys[keyHash].registered) revert UnknownKey(keyHash);
        if (numWords == 0 || numWords > MAX_NUM_WORDS) revert BadNumWords(numWords);
        if (callbackGasLimit > maxCallbackGasLimit) revert CallbackGasTooHigh(callbackGasLimit, maxCallbackGasLimit);

        // No nonce: the consumer names the request. Its id is its preSeed, a hash of the consumer
        // and the salt without the key, so a consumer recomputes it from its own records.
        requestId = _requestId(msg.sender, salt);
        if (_commitments[requestId] != 0) revert RequestExists(requestId); // the slot is written below anyway
        RequestCommitment memory rc = RequestCommitment({
            blockNum: uint64(block.number),
            deadlineBlock: uint64(block.number) + timeoutBlocks,
            deadlineTime: uint64(block.timestamp) + timeoutSeconds,
            callbackGasLimit: callbackGasLimit,
            numWords: numWords,
            consumer: msg.sender,
            keyHash: keyHash,
            preSeed: requestId,
            bondToken: slash.token,
            bondAmount: slash.amount,
            beneficiary: slash.beneficiary,
            beneficiaryAmount: slash.beneficiaryAmount,
            residualToBankroll: slash.residualToBankroll,
            data: data
        });
        _commitments[requestId] = _hashOfCommitmentInMemory(rc);
        if (slash.amount != 0) _reserve(keyHash, slash, book, bookWord);
        _emitRequested(requestId, rc);
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev Reverts with InsufficientGasForCallback when the transaction cannot give the
    /// consumer its full callbackGasLimit.
    function fulfil(Proof calldata proof, RequestCommitment calldata rc) external returns (uint256 output) {
        (, output) = _fulfil(proof, rc, false);
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev Skipped (no event, no revert): entries whose request is no longer stored (fulfilled
    /// or expired) and entries past their deadline. Any other failure reverts the batch.
    function fulfilBatch(Proof[] calldata proofs, RequestCommitment[] calldata rcs) external {
        uint256 count = proofs.length;
        if (count != rcs.length) revert LengthMismatch(count, rcs.length);
        for (uint256 i; i < count; ++i) {
            _fulfil(proofs[i], rcs[i], true);
        }
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev The slash is paid before the consumer is told, so the consumer's rules can rely on it.
    function expire(RequestCommitment calldata rc) external nonReentrant {
        uint256 requestId = _checkCommitment(rc);
        if (!_isExpired(rc)) revert NotExpiredYet(requestId, rc.deadlineBlock, rc.deadlineTime);
        delete _commitments[requestId];
        if (rc.bondAmount != 0) _slash(requestId, rc);
        Slash memory slash = Slash({
            token: rc.bondToken,
            amount: rc.bondAmount,
            beneficiary: rc.beneficiary,
            beneficiaryAmount: rc.beneficiaryAmount,
            residualToBankroll: rc.residualToBankroll
        });
        bytes memory data = abi.encodeCall(IRandomnessConsumer.onRandomnessExpired, (requestId, slash, rc.data));
        bool success = _callWithExactGas(rc.consumer, EXPIRY_CALLBACK_GAS, data);
        emit RandomnessExpired(requestId, success);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRandomnessCoordinator
    function isPending(uint256 requestId) external view returns (bool) {
        return _commitments[requestId] != 0;
    }

    /// @notice Whether a request with commitment `rc` is past its deadline (fulfilment refused,
    /// expiry allowed): both deadlines passed, or deadlineTime + timeoutSeconds passed.
    function isExpired(RequestCommitment calldata rc) external view returns (bool) {
        return _isExpired(rc);
    }

    /// @inheritdoc IRandomnessCoordinator
    function maxFulfilDelay() external view returns (uint64) {
        return 2 * timeoutSeconds;
    }

    /// @notice The stored commitment hash of a pending request (zero once fulfilled or expired).
    function commitmentOf(uint256 requestId) external view returns (bytes32) {
        return _commitments[requestId];
    }

    /// @notice keccak256(abi.encode(rc)): what the coordinator stores for a request.
    function hashOfCommitment(RequestCommitment calldata rc) external pure returns (bytes32) {
        return keccak256(abi.encode(rc));
    }

    /// @notice `keyHash`'s bond in `token`.
    function bondOf(bytes32 keyHash, address token) external view returns (BondView memory info) {
        BondBook memory book = _bonds[keyHash][token];
        Unbonding memory leaving = _unbonding[keyHash][token];
        info = BondView({
            total: uint256(book.free) + book.reserved + leaving.amount,
            reserved: book.reserved,
            unbonding: leaving.amount,
            unbondableAt: leaving.unbondableAt,
            free: book.free
        });
    }

    /// @notice The address that owns `keyHash`'s bonds (zero for a key never registered).
    function operatorOf(bytes32 keyHash) external view returns (address) {
        return _keys[keyHash].operator;
    }

    /// @notice The stored hash of block `blockNum` (zero when nobody stored it).
    function storedBlockhash(uint256 blockNum) external view returns (bytes32) {
        return _blockhashes[blockNum];
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev Reverts with one of VRFVerifier's errors naming the first check that failed. Like
    /// Chainlink's verifier it uses `seed`, not proof.seed.
    function verifyProof(Proof calldata proof, uint256 seed) external view returns (uint256 output) {
        return VRFVerifier.verify(proof, seed);
    }

    /// @inheritdoc IRandomnessCoordinator
    function hashOfKey(uint256[2] calldata pk) external pure returns (bytes32) {
        return _hashOfKey(pk);
    }

    /// @notice Whether new requests may be made with the key `keyHash`.
    function isKeyRegistered(bytes32 keyHash) external view returns (bool) {
        return _keys[keyHash].registered;
    }

    /// @notice Whether `consumer` may request randomness (it has a key).
    function isConsumer(address consumer) external view returns (bool) {
        return _consumerKeys[consumer] != 0;
    }

    /// @inheritdoc IRandomnessCoordinator
    function keyOf(address consumer) external view returns (bytes32) {
        return _consumerKeys[consumer];
    }

    /// @inheritdoc IRandomnessCoordinator
    function requestIdOf(address consumer, uint64 salt) external pure returns (uint256) {
        return _requestId(consumer, salt);
    }

    // ------------------------------------------------------------------ internals

    /// @return fulfilled false when skipped (only with `skipIfNotPending`)
    function _fulfil(Proof calldata proof, RequestCommitment calldata rc, bool skipIfNotPending)
        private
        returns (bool fulfilled, uint256 output)
    {
        uint256 requestId = rc.preSeed; // a request's id is its preSeed
        bytes32 stored = _commitments[requestId];
        // slither-disable-next-line incorrect-equality -- no stored commitment, not a balance check
        if (stored == 0) {
            if (skipIfNotPending) return (false, 0);
            revert UnknownRequest(requestId);
        }
        if (stored != keccak256(abi.encode(rc))) revert CommitmentMismatch(requestId);
        if (_isExpired(rc)) {
            if (skipIfNotPending) return (false, 0);
            revert RequestExpired(requestId, rc.deadlineBlock, rc.deadlineTime);
        }
        // The commitment proves the key was registered when the request was made; whatever
        // governance did with it since, the request stays fulfillable with that key.
        bytes32 keyHash = _hashOfKey(proof.pk);
        if (keyHash != rc.keyHash) revert KeyMismatch(rc.keyHash, keyHash);
        uint256 seed = _seedOf(rc);
        if (proof.seed != seed) revert SeedMismatch(seed, proof.seed);

        output = VRFVerifier.verify(proof, seed);
        delete _commitments[requestId];
        if (rc.bondAmount != 0) {
            BondBook storage book = _bonds[keyHash][rc.bondToken];
            uint256 word = _readBook(book);
            uint256 amount = rc.bondAmount;
            unchecked {
                // the reservation is part of `reserved` until the request resolves; back in
                // `free`, free + reserved is what it was (<= MAX_BOND)
                _writeBook(book, word + amount - (amount << AMOUNT_BITS));
            }
        }
        bool success =
            _callWithExactGas(rc.consumer, rc.callbackGasLimit, _onRandomnessCall(requestId, output, rc));
        emit RandomnessFulfilled(requestId, seed, output, proof, success);
        return (true, output);
    }

    /// @dev Reserve `slash.amount` of the key's free bond; `word` is `book`'s slot as read.
    function _reserve(bytes32 keyHash, Slash calldata slash, BondBook storage book, uint256 word) private {
        if (slash.beneficiaryAmount > slash.amount || (slash.beneficiaryAmount != 0 && slash.beneficiary == address(0)))
        {
            revert BadSlash();
        }
        uint256 free = uint120(word);
        uint256 amount = slash.amount;
        if (amount > free) revert BondTooSmall(keyHash, slash.token, free, amount);
        unchecked {
            // moved from free to reserved: their sum stays <= MAX_BOND
            _writeBook(book, word - amount + (amount << AMOUNT_BITS));
        }
    }

    /// @dev Expired: the reservation leaves the key's bond, the beneficiary's share credited in the
    /// Vault and the residual to the bankroll or burnt.
    function _slash(uint256 requestId, RequestCommitment calldata rc) private {
        address token = rc.bondToken;
        uint256 amount = rc.bondAmount;
        BondBook storage book = _bonds[rc.keyHash][token];
        unchecked {
            // the reservation is part of `reserved` until the request resolves; leaving it, it
            // leaves the bond's total
            _writeBook(book, _readBook(book) - (amount << AMOUNT_BITS));
        }
        uint256 toBeneficiary = rc.beneficiaryAmount; // <= amount, checked at request
        uint256 residual = amount - toBeneficiary;
        bool toBankroll = rc.residualToBankroll;
        emit BondSlashed(requestId, rc.keyHash, token, rc.beneficiary, toBeneficiary, residual, toBankroll);
        uint256 bankrollGain = toBankroll ? residual : 0;
        uint256 intoVault = toBeneficiary + bankrollGain;
        if (intoVault != 0) {
            if (token == address(0)) {
                vault.payIn{value: intoVault}(rc.beneficiary, token, toBeneficiary, bankrollGain);
            } else {
                IERC20(token).forceApprove(address(vault), intoVault);
                vault.payIn(rc.beneficiary, token, toBeneficiary, bankrollGain);
            }
        }
        if (!toBankroll && residual != 0) _push(token, BURN_ADDRESS, residual);
    }

    /// @dev keccak256(abi.encode(rc)) without the copy: a memory struct of value types is its 14
    /// fields, one word each, in order and clean (each was assigned from a value of its type), so
    /// its memory is exactly abi.encode(rc). Fulfil and expire hash their calldata copy with
    /// abi.encode (which refuses dirty high bits), and must meet this hash.
    function _hashOfCommitmentInMemory(RequestCommitment memory rc) private pure returns (bytes32 hash) {
        // slither-disable-next-line assembly -- keccak256 of the struct's 14 words in place
        assembly ("memory-safe") {
            hash := keccak256(rc, 0x1c0)
        }
    }

    /// @dev The commitment's fields, in its order, from memory (one place for the long argument list),
    /// but preSeed (= requestId) and blockNum (= the log's block number), which the log carries.
    function _emitRequested(uint256 requestId, RequestCommitment memory rc) private {
        emit RandomnessRequested(
            requestId,
            rc.keyHash,
            rc.consumer,
            rc.deadlineBlock,
            rc.deadlineTime,
            rc.callbackGasLimit,
            rc.numWords,
            rc.bondToken,
            rc.bondAmount,
            rc.beneficiary,
            rc.beneficiaryAmount,
            rc.residualToBankroll,
            rc.data
        );
    }

    /// @dev Both deadlines passed, or the time deadline passed by a whole timeout more: a chain
    /// that stops producing blocks delays expiry by at most timeoutSeconds.
    function _isExpired(RequestCommitment calldata rc) private view returns (bool) {
        return block.timestamp > rc.deadlineTime
            && (block.number > rc.deadlineBlock || block.timestamp > uint256(rc.deadlineTime) + timeoutSeconds);
    }

    function _readBook(BondBook storage book) private view returns (uint256 word) {
        // slither-disable-next-line assembly -- BondBook's slot as one word (layout above AMOUNT_BITS)
        assembly ("memory-safe") {
            word := sload(book.slot)
        }
    }

    /// @dev Writes a bond slot in one SSTORE: field by field, each field re-reads the slot and a
    /// second write costs another 100 gas. Callers keep free + reserved <= MAX_BOND.
    function _writeBook(BondBook storage book, uint256 word) private {
        // slither-disable-next-line assembly -- one write of BondBook's slot (layout above AMOUNT_BITS)
        assembly ("memory-safe") {
            sstore(book.slot, word)
        }
    }

    /// @dev Writes `registered` into the bond slot of every token `keyHash` holds a bond in.
    function _setKeyRegisteredInBonds(bytes32 keyHash, bool registered) private {
        address[] storage tokens = _bondTokens[keyHash];
        uint256 count = tokens.length;
        for (uint256 i; i < count; ++i) {
            _bonds[keyHash][tokens[i]].keyRegistered = registered;
        }
    }

    function _onlyOperator(bytes32 keyHash) private view {
        if (msg.sender != _keys[keyHash].operator) revert NotKeyOperator(keyHash, msg.sender);
    }

    function _push(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            bool sent;
            assembly ("memory-safe") {
                sent := call(gas(), to, amount, 0, 0, 0, 0)
            }
            if (!sent) revert EthTransferFailed();
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    /// @dev The requestId of a stored request matching `rc`, or a revert.
    function _checkCommitment(RequestCommitment calldata rc) private view returns (uint256 requestId) {
        requestId = rc.preSeed; // a request's id is its preSeed
        bytes32 stored = _commitments[requestId];
        // slither-disable-next-line incorrect-equality -- no stored commitment, not a balance check
        if (stored == 0) revert UnknownRequest(requestId);
        if (stored != keccak256(abi.encode(rc))) revert CommitmentMismatch(requestId);
    }

    /// @dev keccak256(abi.encodePacked(preSeed, blockhash(blockNum))), the hash from BLOCKHASH or
    /// from the stored copy. Unavailable only in the request's own block, or when nobody stored
    /// the hash within 256 blocks (then the request can only expire).
    function _seedOf(RequestCommitment calldata rc) private view returns (uint256) {
        bytes32 requestBlockHash = blockhash(rc.blockNum);
        if (requestBlockHash == 0) requestBlockHash = _blockhashes[rc.blockNum];
        if (requestBlockHash == 0) revert BlockhashUnavailable(rc.blockNum);
        return uint256(keccak256(abi.encodePacked(rc.preSeed, requestBlockHash)));
    }

    /// @dev Calldata of onRandomness(requestId, words, slash, data), words[i] =
    /// keccak256(abi.encode(output, i)), written straight into one buffer instead of building the
    /// array and then encoding it. The slash is a static tuple in the head (requestId | words
    /// offset 0x100 | 5 slash words | data | numWords | words): the slash's 5 words and the data
    /// word are `rc`'s last 6 (bondToken .. residualToBankroll, data) in the same order, copied
    /// verbatim from calldata. `rc` already hashed to the stored commitment, and
    /// abi.encode reverts on a field with dirty high bits, so the copy holds clean values only.
    function _onRandomnessCall(uint256 requestId, uint256 output, RequestCommitment calldata rc)
        private
        pure
        returns (bytes memory data)
    {
        bytes4 selector = IRandomnessConsumer.onRandomness.selector;
        uint256 numWords = rc.numWords;
        assembly ("memory-safe") {
            data := mload(0x40)
            let length := add(0x124, shl(5, numWords))
            mstore(data, length)
            mstore(add(data, 0x20), selector)
            mstore(add(data, 0x24), requestId)
            mstore(add(data, 0x44), 0x100)
            calldatacopy(add(data, 0x64), add(rc, 0x100), 0xc0)
            mstore(add(data, 0x124), numWords)
            let word := add(data, 0x144)
            mstore(0x00, output)
            for { let i := 0 } lt(i, numWords) { i := add(i, 1) } {
                mstore(0x20, i)
                mstore(word, keccak256(0x00, 0x40))
                word := add(word, 0x20)
            }
            mstore(0x40, word)
        }
    }

    /// @dev Calls `target` with exactly `gasAmount` gas, copying no return data. Reverts when
    /// this frame cannot give that much under EIP-150's 63/64 rule; returns false when the
    /// target has no code, reverts or runs out of gas.
    function _callWithExactGas(address target, uint256 gasAmount, bytes memory data) private returns (bool success) {
        // Warms the account, so the CALL below costs a fixed 100 gas for access.
        if (target.code.length == 0) return false;
        uint256 available = gasleft();
        uint256 needed = CALL_OVERHEAD_GAS + gasAmount + gasAmount / 63 + 1;
        if (available < needed) revert InsufficientGasForCallback(available, needed);
        assembly ("memory-safe") {
            success := call(gasAmount, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
    }

    function _requestId(address consumer, uint64 salt) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(consumer, salt)));
    }

    function _hashOfKey(uint256[2] calldata pk) private pure returns (bytes32 keyHash) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, pk, 0x40)
            keyHash := keccak256(m, 0x40)
        }
    }
}
