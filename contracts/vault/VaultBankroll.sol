// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";
import {IVault} from "../interfaces/IVault.sol";
import {ISharedErrors} from "../interfaces/Shared.sol";

// Per-token books, packed by what changes together. Slot 0 holds the two totals of the players'
// money (free balances, and stakes in open locks and pools), which a deposit or withdrawal, every
// lock, settle and refund, and a pool payout move; slot 1 the bankroll's reserve and assets, which
// a bankroll lock's reserve and its fee, its settle and its refund move (a lock reads both for the
// exposure cap). So a settle or refund writes two slots whatever its outcome. Slot 2 is what a lock
// or deposit reads (allowed, risk fraction, compact id) and the fees a lock with a fee adds to.
struct TokenBook {
    uint128 freeTotal;
    uint128 lockedTotal; // open bankroll-lock stakes plus every pool's balance, plus NONZERO_BIAS
    uint128 bankrollReserved;
    uint128 bankrollAssets;
    uint128 accruedFees; // plus NONZERO_BIAS
    uint16 riskFractionBps;
    uint8 id; // compact token id stored in pools; 0 = never allow-listed
    bool allowed;
    uint40 lockCount; // the token's locks so far: a lock's id is id << 40 | its number (see Vault.lock)
    uint256 totalShares;
}

// A pending bankroll request: assets (deposit) or escrowed shares (redeem), and when it becomes
// claimable. amount == 0 = none. A request beyond 2^128 - 1 shares (about 3e32 units of assets at
// the initial price) reverts (SafeCast): redeem a larger position in parts, claiming each before
// requesting the next.
struct PendingRequest {
    uint128 amount;
    uint64 claimableAt;
}

// Per token: assets waiting in deposit requests (held, owed back, not in the bankroll) and shares
// escrowed in redeem requests (still in totalShares).
struct Queue {
    uint128 pendingAssets;
    uint128 pendingShares;
}

/// @title VaultBankroll
/// @notice The Vault's bankroll (LP share) accounting: claiming and cancelling deposit requests,
/// requesting, claiming and cancelling redemptions, and the share price both ways. A linked
/// library: its external functions run in the Vault's context (DELEGATECALL) on the Vault's
/// storage, which the Vault passes in, so the events it emits are the Vault's. It keeps the
/// Vault's runtime code well under EIP-170.
library VaultBankroll {
    using SafeCast for uint256;

    /// @dev See Vault.BANKROLL_DELAY.
    uint256 internal constant DELAY = 1 days;
    /// @dev See Vault.CLAIM_GRACE.
    uint256 internal constant CLAIM_GRACE = 7 days;
    uint256 internal constant BPS = 10_000;
    /// @dev Stored on top of lockedTotal and accruedFees from a token's first allow-listing on, so
    /// their slots never return to zero (the last lock closing, fees withdrawn from a token without
    /// bankroll): the next lock or fee then rewrites a non-zero slot (2,900 gas) instead of filling a
    /// zero one (20,000). Views subtract it.
    uint128 internal constant NONZERO_BIAS = 1;
    /// @dev Virtual shares and assets of every bankroll (ERC-4626 decimals offset of 6): a donation
    /// to an empty bankroll cannot round a later depositor's shares to zero for profit.
    uint256 private constant VIRTUAL_SHARES = 1e6;
    uint256 private constant VIRTUAL_ASSETS = 1;

    /// @notice Mint the shares of `owner_`'s claimable deposit request in `token`.
    /// @dev Shares round down (in the Vault's favour) and are priced as if every open lock of the
    /// token were won by the house (`toSharesEntering`), so a claim timed before a known house win
    /// gains nothing from it.
    function claimDeposit(
        TokenBook storage book,
        mapping(address => PendingRequest) storage requests,
        Queue storage queue,
        mapping(address => uint256) storage sharesOf,
        IPlayerRegistry registry,
        address token,
        address owner_
    ) external returns (uint256 shares) {
        PendingRequest memory request = _takeClaimable(requests, token, owner_);
        if (address(registry) != address(0)) registry.requireNotExcluded(owner_);
        shares = toSharesEntering(book, request.amount);
        // slither-disable-next-line incorrect-equality -- a deposit too small for one share, not a balance check
        if (shares == 0) revert IVault.ZeroShares();
        unchecked {
            // pendingAssets is the sum of every pending deposit, so it holds at least this one
            queue.pendingAssets -= request.amount;
        }
        book.bankrollAssets += request.amount;
        book.totalShares += shares;
        sharesOf[owner_] += shares;
        emit IVault.BankrollDeposited(owner_, token, request.amount, shares);
    }

    /// @notice Return the caller's pending deposit request in `token` to its free balance.
    function cancelDeposit(
        TokenBook storage book,
        mapping(address => PendingRequest) storage requests,
        Queue storage queue,
        mapping(address => mapping(address => uint256)) storage balances,
        address token
    ) external returns (uint256 assets) {
        assets = _takePending(requests, token, msg.sender).amount;
        unchecked {
            queue.pendingAssets -= uint128(assets);
        }
        _creditFree(book, balances, msg.sender, token, assets);
        emit IVault.BankrollDepositCancelled(msg.sender, token, assets);
    }

    /// @notice Escrow `shares` of the caller's in `token` in a redeem request.
    /// @dev Adding to a pending request restarts its delay for the whole of it.
    function requestRedeem(
        mapping(address => PendingRequest) storage requests,
        Queue storage queue,
        mapping(address => uint256) storage sharesOf,
        address token,
        uint256 shares
    ) external returns (uint256 claimableAt) {
        if (shares == 0) revert IVault.ZeroShares();
        uint256 owned = sharesOf[msg.sender];
        if (owned < shares) revert IVault.InsufficientShares(owned, shares);
        PendingRequest storage request = requests[msg.sender];
        claimableAt = block.timestamp + DELAY;
        unchecked {
            sharesOf[msg.sender] = owned - shares;
        }
        // escrowed shares stay in totalShares: they bear every gain and loss until claimed
        request.amount += shares.toUint128();
        request.claimableAt = uint64(claimableAt);
        queue.pendingShares += uint128(shares);
        emit IVault.BankrollRedeemRequested(msg.sender, token, shares, claimableAt);
    }

    /// @notice Credit the assets of `owner_`'s claimable redeem request in `token`.
    /// @dev Assets round down (in the Vault's favour) and are priced as if every open lock of the
    /// token were won by its player (`toAssetsLeaving`), so a claim timed before a known player win
    /// escapes none of it.
    function claimRedeem(
        TokenBook storage book,
        mapping(address => PendingRequest) storage requests,
        Queue storage queue,
        mapping(address => mapping(address => uint256)) storage balances,
        address token,
        address owner_
    ) external returns (uint256 assets) {
        PendingRequest memory request = _takeClaimable(requests, token, owner_);
        assets = toAssetsLeaving(book, request.amount);
        if (assets == 0) revert ISharedErrors.ZeroAmount();
        uint256 available = _withdrawable(book);
        if (assets > available) revert IVault.InsufficientBankroll(available, assets);
        unchecked {
            queue.pendingShares -= request.amount;
            book.totalShares -= request.amount; // escrowed shares are part of totalShares
            book.bankrollAssets -= uint128(assets); // assets <= available <= bankrollAssets
        }
        _creditFree(book, balances, owner_, token, assets);
        emit IVault.BankrollWithdrawn(owner_, token, assets, request.amount);
    }

    /// @notice Return the caller's escrowed shares in `token` to it.
    function cancelRedeem(
        mapping(address => PendingRequest) storage requests,
        Queue storage queue,
        mapping(address => uint256) storage sharesOf,
        address token
    ) external returns (uint256 shares) {
        shares = _takePending(requests, token, msg.sender).amount;
        unchecked {
            queue.pendingShares -= uint128(shares);
            sharesOf[msg.sender] += shares; // <= totalShares
        }
        emit IVault.BankrollRedeemCancelled(msg.sender, token, shares);
    }

    /// @notice Shares for `assets` entering: the bankroll valued as if the house won every open
    /// lock. A bankroll lock gains the bankroll at most its stake (an expiry pays in the stake
    /// too), and lockedTotal holds every open stake (pools' too, which only makes the bound
    /// looser), so no outcome open now can raise the share price above this. The first shares
    /// (none yet) have nobody to protect and are priced on the assets alone.
    function toSharesEntering(TokenBook storage book, uint256 assets) public view returns (uint256) {
        uint256 shares = book.totalShares;
        uint256 ceiling = book.bankrollAssets;
        if (shares != 0) ceiling += unbiased(book.lockedTotal);
        return Math.mulDiv(assets, shares + VIRTUAL_SHARES, ceiling + VIRTUAL_ASSETS);
    }

    /// @notice Assets for `shares` leaving: the bankroll valued as if every open lock paid its
    /// maximum. A lock costs the bankroll at most its reserve, and bankrollReserved is their sum,
    /// so no outcome open now can lower the share price below this.
    function toAssetsLeaving(TokenBook storage book, uint256 shares) public view returns (uint256) {
        uint256 floor = uint256(book.bankrollAssets) - book.bankrollReserved; // reserved <= assets
        return Math.mulDiv(shares, floor + VIRTUAL_ASSETS, book.totalShares + VIRTUAL_SHARES);
    }

    /// @dev A biased total's true value (a token never allow-listed stores zero: it has none).
    function unbiased(uint128 stored) internal pure returns (uint256 total) {
        total = stored;
        unchecked {
            if (total != 0) total -= NONZERO_BIAS;
        }
    }

    /// @dev Bankroll assets LPs may withdraw now: what leaves the reserves within the risk
    /// fraction of what remains (all of the reserves, when the fraction is zero).
    function _withdrawable(TokenBook storage book) private view returns (uint256) {
        uint256 assets = book.bankrollAssets;
        uint256 reserved = book.bankrollReserved;
        uint256 fraction = book.riskFractionBps;
        uint256 needed = fraction == 0 ? reserved : Math.mulDiv(reserved, BPS, fraction, Math.Rounding.Ceil);
        if (needed < reserved) needed = reserved;
        return assets > needed ? assets - needed : 0;
    }

    /// @dev Deletes and returns `owner_`'s request from `requests` once it is claimable (the caller
    /// reverts, undoing the delete, if it cannot be met).
    function _takeClaimable(mapping(address => PendingRequest) storage requests, address token, address owner_)
        private
        returns (PendingRequest memory request)
    {
        request = _takePending(requests, token, owner_);
        uint256 from = request.claimableAt;
        if (msg.sender != owner_) from += CLAIM_GRACE;
        if (block.timestamp < from) revert IVault.BankrollRequestNotClaimable(from);
    }

    /// @dev Remove `owner_`'s pending request in `token` and return it; reverts when there is none.
    function _takePending(mapping(address => PendingRequest) storage requests, address token, address owner_)
        private
        returns (PendingRequest memory request)
    {
        request = requests[owner_];
        // slither-disable-next-line incorrect-equality -- amount 0 marks "no request", not a balance check
        if (request.amount == 0) revert IVault.NoBankrollRequest(owner_, token);
        delete requests[owner_];
    }

    /// @dev Credit `amount` that left the bankroll's books to `owner_`'s free balance.
    function _creditFree(
        TokenBook storage book,
        mapping(address => mapping(address => uint256)) storage balances,
        address owner_,
        address token,
        uint256 amount
    ) private {
        book.freeTotal += amount.toUint128();
        unchecked {
            balances[owner_][token] += amount; // <= freeTotal
        }
    }
}
