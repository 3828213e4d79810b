import type { ExceptionWords } from './exception-text.ts';

const JOB_KINDS: Record<string, string> = {
  lead_update: 'uma atualização do lead',
  note: 'uma nota',
  task: 'uma tarefa',
  invoice_update: 'a atualização da fatura',
  bot_continue: 'a resposta ao Salesbot',
};

export const EXCEPTION_WORDS_PT: ExceptionWords = {
  lead: (id) => (id === null ? 'um lead' : `o lead ${id}`),
  jobKind: (kind) => JOB_KINDS[kind] ?? 'uma gravação',
  review: (amount, reason) => ({
    message: `dramlink: verifique o pagamento${amount ? ` de ${amount}` : ''}: ${reason}`,
    action: 'Abra o pagamento no card do lead, confira no painel do provedor e resolva com o cliente.',
  }),
  refundFailed: (amount, providerMessage) => ({
    message: `Um reembolso${amount ? ` de ${amount}` : ''} falhou: ${providerMessage ?? 'o provedor recusou'}.`,
    action: 'Repita o reembolso pelo painel ou faça-o no painel do provedor e depois verifique o status.',
  }),
  rejected: (jobKind, lead, error) => ({
    message: `O amoCRM rejeitou ${jobKind} para ${lead}: ${error}`,
    action: 'Verifique o lead e os campos do dramlink no amoCRM (um lead, campo ou etapa excluídos); o pagamento não foi afetado.',
  }),
  retrying: (lead, attempts, error, every) => ({
    message: `O dramlink não conseguiu atualizar ${lead} no amoCRM${attempts ? ` após ${attempts} tentativas` : ''}${error ? ` (${error})` : ''}. Os dados do pagamento estão seguros; o dramlink tenta novamente a cada ${every} minutos.`,
    action:
      'Verifique se o amoCRM está acessível e se o dramlink tem acesso à conta; o lead é atualizado assim que o amoCRM aceitar a gravação.',
  }),
  blocked403: (cooldown) => ({
    message: `O amoCRM bloqueou o acesso à API desta conta (HTTP 403), geralmente por excesso de requisições. O dramlink parou todas as chamadas e testa de novo em ${cooldown} minutos; as atualizações aguardam e não se perdem.`,
    action:
      'Se o bloqueio continuar, peça ao suporte do amoCRM (chat) para removê-lo, informando o subdomínio, o id da conta e o IP deste servidor.',
  }),
  ipNotAllowed: (cooldown) => ({
    message: `O amoCRM recusa chamadas à API vindas do endereço IP deste servidor: as configurações de segurança da API da conta só permitem endereços de uma lista. O dramlink parou todas as chamadas e tentará de novo em ${cooldown} minutos; as atualizações do CRM aguardam e não se perdem.`,
    action:
      'Um administrador da conta adiciona o endereço IP público deste servidor aos endereços permitidos nas configurações da API do amoCRM (ou remove a restrição).',
  }),
  tokenRefused: {
    message:
      'O amoCRM recusou renovar o acesso do dramlink a esta conta (a integração foi desativada ou o token expirou após três meses sem uso). As atualizações aguardam e não se perdem.',
    action:
      'Um administrador da conta deve instalar o dramlink novamente (amoCRM → amoMarket → dramlink → Instalar); as atualizações pendentes são enviadas depois.',
  },
  blocked: {
    message: 'O amoCRM bloqueou o acesso à API desta conta: as atualizações de leads estão pausadas.',
    action: 'Aguarde o fim do bloqueio (o dramlink tenta novamente sozinho); se continuar, contate o suporte do amoCRM com o id da conta.',
  },
  reconnect: {
    message: 'O dramlink perdeu o acesso a esta conta do amoCRM: os leads não são atualizados até a reconexão.',
    action:
      'Um administrador reinstala o dramlink (Configurações → Integrações → dramlink). Os pagamentos continuam funcionando; os leads são atualizados depois.',
  },
};
